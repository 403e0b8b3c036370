import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import type { Org } from '../../src/generated/prisma/client.js';
import { loadRegionContext } from '../../src/regions/context.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { buildOrg, buildUser, TEST_PASSWORD } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

let app: TestServer;
beforeAll(async () => {
  app = await startTestServer();
});
afterAll(() => app.close());

/** North (N1, N2 under it, N2a under N2) and South. */
async function buildRegions(org: Org) {
  const make = (name: string, parentId: number | null = null) => orgDb(org.id).region.create({ data: { orgId: org.id, uuid: `${name}-${org.id}`, name, parentId } });
  const north = await make('North');
  const n1 = await make('N1', north.id);
  const n2 = await make('N2', north.id);
  const n2a = await make('N2a', n2.id);
  const south = await make('South');
  return { north, n1, n2, n2a, south };
}

describe('region context (spec §5, §24.24)', () => {
  it('gives a supervisor of North only North and its sub-regions, never "all"', async () => {
    const org = await buildOrg();
    const r = await buildRegions(org);
    const supervisor = await buildUser(org, { role: 'supervisor' });
    await orgDb(org.id).regionAccess.create({ data: { orgId: org.id, userId: supervisor.id, regionId: r.north.id } });
    const agent = app.agent();
    await agent.signIn(supervisor.email, TEST_PASSWORD);
    const host = agent.host(org.subdomain);
    const home = await agent.get(host, '/');
    const picker = home.body.slice(home.body.indexOf('region-menu'), home.body.indexOf('</div>', home.body.indexOf('region-menu')));
    for (const name of ['North', 'N1', 'N2', 'N2a']) expect(picker).toContain(`>${name}</button>`);
    expect(picker).not.toContain('South');
    expect(picker).not.toContain('value="all"');
    expect((await agent.post(host, '/session/region', { region: 'all' })).status).toBe(400);
    expect((await agent.post(host, '/session/region', { region: String(r.south.id) })).status).toBe(400);
    expect((await agent.post(host, '/session/region', {})).status).toBe(400);
    expect((await agent.post(host, '/session/region', { region: String(r.n2.id), next: '/users/' + supervisor.id })).location).toBe(`/users/${supervisor.id}`);
    expect((await agent.get(host, '/')).body).toMatch(/Region:<\/span> N2/);
    expect((await agent.post(host, '/session/include-subregions', { value: 'maybe' })).status).toBe(400);
    expect((await agent.post(host, '/session/include-subregions', { value: '0' })).status).toBe(303);
  });

  it('takes a region from the link for that request only, within the reader\'s regions', async () => {
    const org = await buildOrg();
    const r = await buildRegions(org);
    const supervisor = await buildUser(org, { role: 'supervisor' });
    await orgDb(org.id).regionAccess.create({ data: { orgId: org.id, userId: supervisor.id, regionId: r.north.id } });
    const agent = app.agent();
    await agent.signIn(supervisor.email, TEST_PASSWORD);
    const host = agent.host(org.subdomain);
    const linked = await agent.get(host, `/?region=${r.n2.id}&sub=0&page=2`);
    expect(linked.body).toMatch(/Region:<\/span> N2/);
    // The picker returns to the page without the link's region, or the link would override the choice.
    expect(linked.body).toContain('name="next" value="/?page=2"');
    // The stored choice is untouched: the next plain request is back on the default region.
    expect((await agent.get(host, '/')).body).toMatch(/Region:<\/span> North/);
    // A region outside the supervisor's, "all", or garbage falls back to the default, never widens access.
    for (const query of [`region=${r.south.id}`, 'region=all', 'region=abc&sub=maybe']) {
      expect((await agent.get(host, `/?${query}`)).body, query).toMatch(/Region:<\/span> North/);
    }
  });

  it('computes user and data regions for each role', async () => {
    const org = await buildOrg();
    const r = await buildRegions(org);
    const [admin, supervisor, viewer, lonelySupervisor] = await Promise.all([
      buildUser(org, { role: 'admin' }), buildUser(org, { role: 'supervisor' }), buildUser(org, { role: 'viewer' }), buildUser(org, { role: 'supervisor' }),
    ]);
    await orgDb(org.id).regionAccess.create({ data: { orgId: org.id, userId: supervisor.id, regionId: r.n2.id } });
    const actor = (user: { id: number }, role: 'admin' | 'supervisor' | 'viewer') => ({ userId: user.id, isSuperuser: false, orgId: org.id, role });

    const adminContext = await loadRegionContext(org.id, actor(admin, 'admin'));
    expect(adminContext).toMatchObject({ current: null, userRegionIds: null, dataRegionIds: null, canPickAll: true });
    expect(adminContext.tree.map((n) => n.name)).toEqual(['North', 'N1', 'N2', 'N2a', 'South']);

    const supervisorContext = await loadRegionContext(org.id, actor(supervisor, 'supervisor'));
    expect(supervisorContext.current?.name).toBe('N2');
    expect([...supervisorContext.userRegionIds!].sort()).toEqual([r.n2.id, r.n2a.id].sort());
    expect([...supervisorContext.dataRegionIds!].sort()).toEqual([r.n2.id, r.n2a.id].sort());
    const withoutSub = await loadRegionContext(org.id, actor(supervisor, 'supervisor'), { includeSubregions: false });
    expect([...withoutSub.dataRegionIds!]).toEqual([r.n2.id]);

    // A viewer without assigned regions reads the whole org (decision D1); a supervisor without any sees nothing.
    expect(await loadRegionContext(org.id, actor(viewer, 'viewer'))).toMatchObject({ userRegionIds: null, canPickAll: true });
    const lonely = await loadRegionContext(org.id, actor(lonelySupervisor, 'supervisor'));
    expect(lonely.current).toBeNull();
    expect([...lonely.dataRegionIds!]).toEqual([]);
  });

  it('lets an admin assign regions to a supervisor and shows them on the card', async () => {
    const org = await buildOrg();
    const r = await buildRegions(org);
    const admin = await buildUser(org, { role: 'admin' });
    const supervisor = await buildUser(org, { role: 'supervisor' });
    const agent = app.agent();
    await agent.signIn(admin.email, TEST_PASSWORD);
    const host = agent.host(org.subdomain);
    expect((await agent.post(host, `/users/${supervisor.id}`, { name: supervisor.name, role: 'supervisor', regions: [String(r.south.id), String(r.n1.id)] })).status).toBe(303);
    const access = await db().regionAccess.findMany({ where: { userId: supervisor.id } });
    expect(access.map((a) => a.regionId).sort()).toEqual([r.n1.id, r.south.id].sort());
    expect((await agent.get(host, `/users/${supervisor.id}`)).body).toContain('N1, South');
    const foreign = await buildRegions(await buildOrg());
    await agent.post(host, `/users/${supervisor.id}`, { name: supervisor.name, role: 'supervisor', regions: String(foreign.north.id) });
    expect(await db().regionAccess.count({ where: { userId: supervisor.id } })).toBe(0);
  });
});
