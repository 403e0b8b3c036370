import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrg, buildUser, TEST_PASSWORD } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

let app: TestServer;
beforeAll(async () => {
  app = await startTestServer();
});
afterAll(() => app.close());

describe('sign-in', () => {
  it('signs in on the base host, and the one session serves every org of the user', async () => {
    const [orgA, orgB] = [await buildOrg(), await buildOrg()];
    const user = await buildUser(orgA, { role: 'viewer' });
    await buildUser(orgB).then(() => undefined);
    const { db } = await import('../../src/db/client.js');
    await db().orgMembership.create({ data: { orgId: orgB.id, userId: user.id, role: 'admin' } });
    const agent = app.agent();
    const res = await agent.signIn(user.email, TEST_PASSWORD);
    expect(res.location).toBe('/');
    const chooser = await agent.get(agent.host(), '/');
    expect(chooser.body).toContain(orgA.name);
    expect(chooser.body).toContain(orgB.name);
    expect((await agent.get(agent.host(orgA.subdomain), '/')).status).toBe(200);
    expect((await agent.get(agent.host(orgB.subdomain), '/users')).status).toBe(200);
  });

  it('redirects to a same-host next only', async () => {
    const user = await buildUser(await buildOrg());
    const agent = app.agent();
    expect((await agent.post(agent.host(), '/login', { email: user.email, password: TEST_PASSWORD, next: '/profile' })).location).toBe('/profile');
    const other = app.agent();
    expect((await other.post(other.host(), '/login', { email: user.email, password: TEST_PASSWORD, next: '//evil.example/' })).location).toBe('/');
  });

  it('gives the same message for an unknown account and a wrong password', async () => {
    const user = await buildUser(await buildOrg());
    const agent = app.agent();
    const wrong = await agent.post(agent.host(), '/login', { email: user.email, password: 'not-the-password' });
    const unknown = await agent.post(agent.host(), '/login', { email: 'nobody@example.org', password: 'whatever1' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toContain('Wrong e-mail or password.');
    expect(unknown.body).toContain('Wrong e-mail or password.');
  });

  it('refuses a deactivated account', async () => {
    const user = await buildUser(await buildOrg());
    const { db } = await import('../../src/db/client.js');
    await db().user.update({ where: { id: user.id }, data: { isActive: false } });
    const agent = app.agent();
    expect((await agent.post(agent.host(), '/login', { email: user.email, password: TEST_PASSWORD })).status).toBe(401);
  });

  it('refuses an account after 10 failures with 429, while other accounts still sign in', async () => {
    const org = await buildOrg();
    const [victim, bystander] = [await buildUser(org), await buildUser(org)];
    const agent = app.agent();
    for (let i = 0; i < 10; i++) {
      expect((await agent.post(agent.host(), '/login', { email: victim.email, password: `wrong-${i}` })).status).toBe(401);
    }
    const blocked = await agent.post(agent.host(), '/login', { email: victim.email, password: TEST_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.body).toContain('Too many failed sign-in attempts');
    const other = app.agent();
    expect((await other.post(other.host(), '/login', { email: bystander.email, password: TEST_PASSWORD })).status).toBe(303);
  });

  it('signs out everywhere', async () => {
    const org = await buildOrg();
    const user = await buildUser(org);
    const agent = app.agent();
    await agent.signIn(user.email, TEST_PASSWORD);
    expect((await agent.post(agent.host(org.subdomain), '/logout')).status).toBe(303);
    expect((await agent.get(agent.host(org.subdomain), '/')).status).toBe(303);
  });
});
