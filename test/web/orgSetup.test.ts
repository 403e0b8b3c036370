import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { getQueue } from '../../src/jobs/queues.js';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { runSync } from '../../src/sync/runSync.js';
import { SYNCERS } from '../../src/sync/syncers.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { buildOrg, buildUser, TEST_PASSWORD } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startTestSimulator, TOKEN } from '../rapidpro/support.js';

let app: TestServer;
let sim: RunningSimulator;
beforeAll(async () => {
  [app, sim] = await Promise.all([startTestServer(), startTestSimulator({ contacts: 300, weeks: 1, activity: false })]);
});
afterAll(async () => {
  await Promise.all([app.close(), sim.close()]);
});

async function adminOf() {
  const org = await buildOrg({ apiUrl: sim.url, apiToken: TOKEN });
  const admin = await buildUser(org, { role: 'admin' });
  const agent = app.agent();
  await agent.signIn(admin.email, TEST_PASSWORD);
  return { org, admin, agent, host: agent.host(org.subdomain) };
}

const ADMIN_PAGES = ['/org', '/org/edit', '/org/connection', '/org/sync', '/regions', '/regions/select', '/groups', '/groups/select'];

describe('org setup pages', () => {
  it('are for admins: signed out → sign-in, other org → 404, supervisor and viewer → 403', async () => {
    const { org } = await adminOf();
    const other = await buildOrg();
    const outsider = await buildUser(other, { role: 'admin' });
    const supervisor = await buildUser(org, { role: 'supervisor' });
    const viewer = await buildUser(org, { role: 'viewer' });
    const anonymous = app.agent();
    const outsiderAgent = app.agent();
    await outsiderAgent.signIn(outsider.email, TEST_PASSWORD);
    for (const path of ADMIN_PAGES) {
      expect((await anonymous.get(anonymous.host(org.subdomain), path)).status, path).toBe(303);
      expect((await outsiderAgent.get(outsiderAgent.host(org.subdomain), path)).status, path).toBe(404);
    }
    for (const user of [supervisor, viewer]) {
      const agent = app.agent();
      await agent.signIn(user.email, TEST_PASSWORD);
      for (const path of ADMIN_PAGES) expect((await agent.get(agent.host(org.subdomain), path)).status, path).toBe(403);
      expect((await agent.post(agent.host(org.subdomain), '/regions/select', { groups: [] })).status).toBe(403);
    }
  });

  it('select regions and reporter groups from RapidPro, then queue the contact re-map and sync', async () => {
    const { org, agent, host } = await adminOf();
    const page = await agent.get(host, '/regions/select');
    expect(page.status).toBe(200);
    const panels = sim.state().layout.groups.filter((g) => g.kind === 'panel');
    for (const panel of panels) expect(page.body).toContain(panel.name);
    const saved = await agent.post(host, '/regions/select', { groups: panels.map((p) => p.uuid) });
    expect(saved.status).toBe(303);
    expect(await orgDb(org.id).region.count({ where: { isActive: true } })).toBe(panels.length);
    const cohort = sim.state().layout.groups.find((g) => g.kind === 'cohort')!;
    expect((await agent.post(host, '/groups/select', { groups: cohort.uuid })).status).toBe(303);
    expect((await orgDb(org.id).reporterGroup.findMany({ where: { isActive: true } })).map((g) => g.uuid)).toEqual([cohort.uuid]);
    expect(await getQueue('sync').getJob(`remap-contacts-${org.id}`)).toBeDefined();
    expect(await getQueue('sync').getJob(`sync-contacts-${org.id}`)).toBeDefined();
    expect((await agent.get(host, '/regions')).body).toContain(panels[0]!.name);

    // Dropping a region deactivates it and moves its children to its parent (spec §6.2).
    const [a, b, c] = await orgDb(org.id).region.findMany({ orderBy: { id: 'asc' }, take: 3 });
    await db().region.update({ where: { id: b!.id }, data: { parentId: a!.id } });
    await db().region.update({ where: { id: c!.id }, data: { parentId: b!.id } });
    await agent.post(host, '/regions/select', { groups: panels.map((p) => p.uuid).filter((u) => u !== b!.uuid) });
    expect(await db().region.findUniqueOrThrow({ where: { id: c!.id } })).toMatchObject({ parentId: a!.id });
    expect(await db().region.findUniqueOrThrow({ where: { id: b!.id } })).toMatchObject({ isActive: false, parentId: null });
  });

  it('saves the region tree, refusing cycles and foreign ids (spec §17.5)', async () => {
    const { org, agent, host } = await adminOf();
    await runSync(org.id, SYNCERS.groups, { force: true });
    await runSync(org.id, SYNCERS.boundaries, { force: true });
    const panels = sim.state().layout.groups.filter((g) => g.kind === 'panel').slice(0, 3);
    await agent.post(host, '/regions/select', { groups: panels.map((p) => p.uuid) });
    const [a, b, c] = await orgDb(org.id).region.findMany({ orderBy: { id: 'asc' } });
    const boundary = await orgDb(org.id).boundary.findFirstOrThrow();
    const post = (data: unknown) =>
      agent.request('POST', host, '/regions/hierarchy', JSON.stringify({ data }), { 'Content-Type': 'application/json', 'X-CSRF-Token': '' });
    const csrf = await agent.csrfToken(host);
    const send = (data: unknown) => agent.request('POST', host, '/regions/hierarchy', JSON.stringify({ data }), { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf });
    expect((await post({})).status).toBe(403);
    const ok = JSON.parse((await send({ [a!.id]: [null, boundary.id], [b!.id]: [a!.id, null], [c!.id]: [b!.id, null] })).body);
    expect(ok).toMatchObject({ success: true, status: 200 });
    expect(await db().region.findUniqueOrThrow({ where: { id: c!.id } })).toMatchObject({ parentId: b!.id });
    expect(await db().region.findUniqueOrThrow({ where: { id: a!.id } })).toMatchObject({ boundaryId: boundary.id });
    const cycle = JSON.parse((await send({ [a!.id]: [c!.id, null], [b!.id]: [a!.id, null], [c!.id]: [b!.id, null] })).body);
    expect(cycle).toMatchObject({ success: false, status: 400 });
    const missing = JSON.parse((await send({ [a!.id]: [null, null] })).body);
    expect(missing).toMatchObject({ success: false, status: 400 });
    const foreign = await buildOrg();
    const foreignBoundary = await db().boundary.create({ data: { orgId: foreign.id, osmId: 'X1', name: 'Elsewhere' } });
    const bad = JSON.parse((await send({ [a!.id]: [null, foreignBoundary.id], [b!.id]: [a!.id, null], [c!.id]: [b!.id, null] })).body);
    expect(bad).toMatchObject({ success: false, status: 400 });
    expect(JSON.parse((await send('not json {')).body)).toMatchObject({ success: false });
  });

  it('edits the org, chooses shown and filterable fields, and shows the masked token and sync results', async () => {
    const { org, agent, host } = await adminOf();
    const edit = await agent.get(host, '/org/edit');
    expect(edit.status).toBe(200);
    expect(edit.body).toContain('registration_date');
    const saved = await agent.post(host, '/org/edit', {
      name: 'Renamed Org', timezone: 'Africa/Kigali', languages: ['en', 'fr'], defaultLanguage: 'en', visibleFields: ['gender', 'age'], filterableFields: 'gender',
    });
    expect(saved.status).toBe(303);
    const fields = await orgDb(org.id).dataField.findMany({ orderBy: { key: 'asc' } });
    expect(fields.filter((f) => f.visible).map((f) => f.key)).toEqual(['age', 'gender']);
    expect(fields.filter((f) => f.filterable).map((f) => f.key)).toEqual(['gender']);
    const show = await agent.get(host, '/org');
    expect(show.body).toContain('Renamed Org');
    expect(show.body).toContain(`*${TOKEN.slice(-4)}`);
    expect(show.body).not.toContain(TOKEN);
    expect((await agent.get(host, '/org/sync')).body).toContain('6 created');
  });

  it('tests and saves a RapidPro token, and shows a refused one', async () => {
    const { org, agent, host } = await adminOf();
    const test = await agent.post(host, '/org/connection', { apiUrl: sim.url, apiToken: 'wrong0token0000000000000000000000000000', action: 'test' });
    expect(test.status).toBe(200);
    expect(test.body).toMatch(/token/i);
    const saved = await agent.post(host, '/org/connection', { apiUrl: sim.url, apiToken: TOKEN, action: 'save' });
    expect(saved.status).toBe(303);
    expect((await db().org.findUniqueOrThrow({ where: { id: org.id } })).apiTokenError).toBeNull();
    await agent.post(host, '/org/connection', { apiUrl: sim.url, apiToken: 'wrong0token0000000000000000000000000000', action: 'save' });
    expect((await agent.get(host, '/org')).body).toContain('refused');
  });
});

describe('org logo', () => {
  it('is uploaded by an admin on the org settings and served to members only', async () => {
    const { agent, host } = await adminOf();
    const token = await agent.csrfToken(host);
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const boundary = '----tracpro-test';
    const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const fields = { _csrf: token, name: 'Logo Org', timezone: 'UTC', languages: 'en', defaultLanguage: 'en' };
    const body = Buffer.concat([
      Buffer.from(Object.entries(fields).map(([k, v]) => part(k, v)).join('')),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="logo"; filename="logo.png"\r\nContent-Type: image/png\r\n\r\n`),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const saved = await agent.request('POST', host, '/org/edit', body as unknown as string, { 'Content-Type': `multipart/form-data; boundary=${boundary}` });
    expect(saved.status).toBe(303);
    const logo = await agent.get(host, '/logo');
    expect(logo.status).toBe(200);
    expect(logo.headers['content-type']).toBe('image/png');
    expect((await app.agent().get(host, '/logo')).status).toBe(303);
  });
});
