import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrg, buildUser, TEST_PASSWORD } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

let app: TestServer;
beforeAll(async () => {
  app = await startTestServer();
});
afterAll(() => app.close());

const ORG_PAGES = ['/', '/users', '/users/new', '/api/home/members-by-role'];

describe('access rules (spec D1)', () => {
  it('sends signed-out visitors to sign-in with next', async () => {
    const org = await buildOrg();
    const agent = app.agent();
    for (const path of ORG_PAGES) {
      const res = await agent.get(agent.host(org.subdomain), path);
      expect(res.status, path).toBe(303);
      expect(res.location).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
  });

  it('answers 404 on every page of org B to a member of org A', async () => {
    const [orgA, orgB] = [await buildOrg(), await buildOrg()];
    await buildUser(orgB, { role: 'admin' });
    const user = await buildUser(orgA, { role: 'admin' });
    const agent = app.agent();
    await agent.signIn(user.email, TEST_PASSWORD);
    for (const path of ORG_PAGES) {
      expect((await agent.get(agent.host(orgA.subdomain), path)).status, `A ${path}`).toBe(200);
      expect((await agent.get(agent.host(orgB.subdomain), path)).status, `B ${path}`).toBe(404);
    }
    const member = await buildUser(orgB, { role: 'viewer' });
    expect((await agent.get(agent.host(orgB.subdomain), `/users/${member.id}`)).status).toBe(404);
    expect((await agent.post(agent.host(orgB.subdomain), `/users/${member.id}/deactivate`)).status).toBe(404);
  });

  it('answers 404 for an unknown or inactive org, even on the sign-in page', async () => {
    const inactive = await buildOrg({ isActive: false });
    const agent = app.agent();
    expect((await agent.get(agent.host('no-such-org'), '/login')).status).toBe(404);
    expect((await agent.get(agent.host(inactive.subdomain), '/')).status).toBe(404);
  });

  it('gives a viewer 403 on admin pages and 200 on the home page', async () => {
    const org = await buildOrg();
    const viewer = await buildUser(org, { role: 'viewer' });
    const agent = app.agent();
    await agent.signIn(viewer.email, TEST_PASSWORD);
    const host = agent.host(org.subdomain);
    expect((await agent.get(host, '/')).status).toBe(200);
    expect((await agent.get(host, '/users')).status).toBe(403);
    expect((await agent.get(host, `/users/${viewer.id}`)).status).toBe(403);
    expect((await agent.post(host, '/users', { name: 'X', email: 'x@example.org', role: 'admin' })).status).toBe(403);
  });

  it('lets supervisors read member cards but not manage people', async () => {
    const org = await buildOrg();
    const supervisor = await buildUser(org, { role: 'supervisor' });
    const admin = await buildUser(org, { role: 'admin' });
    const agent = app.agent();
    await agent.signIn(supervisor.email, TEST_PASSWORD);
    const host = agent.host(org.subdomain);
    expect((await agent.get(host, `/users/${admin.id}`)).status).toBe(200);
    expect((await agent.get(host, `/users/${admin.id}/edit`)).status).toBe(403);
  });

  it('hides site management from non-superusers and shows it to superusers', async () => {
    const org = await buildOrg();
    const admin = await buildUser(org, { role: 'admin' });
    const root = await buildUser(null, { isSuperuser: true });
    const agent = app.agent();
    await agent.signIn(admin.email, TEST_PASSWORD);
    expect((await agent.get(agent.host(), '/manage/orgs')).status).toBe(404);
    expect((await agent.get(agent.host(), '/manage/queues')).status).toBe(404);
    const rootAgent = app.agent();
    await rootAgent.signIn(root.email, TEST_PASSWORD);
    expect((await rootAgent.get(rootAgent.host(), '/manage/orgs')).status).toBe(200);
    expect((await rootAgent.get(rootAgent.host(), '/manage/queues')).status).toBe(200);
    expect((await rootAgent.get(rootAgent.host(org.subdomain), '/users')).status).toBe(200);
  });

  it('refuses a deactivated member of an org', async () => {
    const org = await buildOrg();
    const admin = await buildUser(org, { role: 'admin' });
    const member = await buildUser(org, { role: 'supervisor' });
    const adminAgent = app.agent();
    await adminAgent.signIn(admin.email, TEST_PASSWORD);
    expect((await adminAgent.post(adminAgent.host(org.subdomain), `/users/${member.id}/deactivate`)).status).toBe(303);
    const agent = app.agent();
    await agent.signIn(member.email, TEST_PASSWORD);
    expect((await agent.get(agent.host(org.subdomain), '/')).status).toBe(404);
  });
});

describe('CSRF', () => {
  it('refuses a POST without a token with 403, and accepts it with one', async () => {
    const org = await buildOrg();
    const admin = await buildUser(org, { role: 'admin' });
    const agent = app.agent();
    await agent.signIn(admin.email, TEST_PASSWORD);
    const host = agent.host(org.subdomain);
    const form = { name: 'New Person', email: `new-${org.id}@example.org`, role: 'viewer' };
    expect((await agent.post(host, '/users', { ...form, _csrf: '' })).status).toBe(403);
    expect((await agent.post(host, '/users', { ...form, _csrf: 'forged' })).status).toBe(403);
    expect((await agent.post(host, '/users', form)).status).toBe(303);
  });

  it('refuses a sign-in POST without a token', async () => {
    const agent = app.agent();
    await agent.get(agent.host(), '/login');
    expect((await agent.post(agent.host(), '/login', { email: 'a@example.org', password: 'x', _csrf: '' })).status).toBe(403);
  });
});

describe('health', () => {
  it('reports Postgres and Redis', async () => {
    const res = await app.agent().get('tracpro.localhost', '/healthz');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'ok', postgres: 'ok', redis: 'ok' });
  });
});
