import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { buildOrg, buildUser, TEST_PASSWORD } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

let app: TestServer;
beforeAll(async () => {
  app = await startTestServer();
});
afterAll(() => app.close());

async function adminOf() {
  const org = await buildOrg();
  const admin = await buildUser(org, { role: 'admin' });
  const agent = app.agent();
  await agent.signIn(admin.email, TEST_PASSWORD);
  return { org, admin, agent, host: agent.host(org.subdomain) };
}

describe('org people at /users', () => {
  it('creates an account with a temporary password that must be changed at first sign-in', async () => {
    const { org, agent, host } = await adminOf();
    const email = `new-${org.id}@example.org`;
    const created = await agent.post(host, '/users', { name: 'Amina K', email, role: 'supervisor' });
    expect(created.status).toBe(303);
    const page = await agent.get(host, created.location!);
    const temporary = /temporary password: ([\w-]+)/.exec(page.body)?.[1];
    expect(temporary).toBeDefined();
    const user = await db().user.findUniqueOrThrow({ where: { email }, include: { memberships: true } });
    expect(user.mustChangePassword).toBe(true);
    expect(user.memberships).toMatchObject([{ orgId: org.id, role: 'supervisor' }]);

    const newcomer = app.agent();
    await newcomer.signIn(email, temporary!);
    expect((await newcomer.get(host, '/')).location).toBe('/profile');
  });

  it('adds an existing account from another org without touching its password', async () => {
    const { org, agent, host } = await adminOf();
    const outsider = await buildUser(await buildOrg(), { role: 'admin' });
    expect((await agent.post(host, '/users', { name: 'Ignored', email: outsider.email, role: 'viewer' })).status).toBe(303);
    const membership = await db().orgMembership.findFirst({ where: { orgId: org.id, userId: outsider.id } });
    expect(membership?.role).toBe('viewer');
    const same = app.agent();
    await same.signIn(outsider.email, TEST_PASSWORD);
    expect((await same.get(host, '/')).status).toBe(200);
  });

  it('re-renders the form with field errors and keeps the values', async () => {
    const { agent, host } = await adminOf();
    const res = await agent.post(host, '/users', { name: '', email: 'not-an-email', role: 'king' });
    expect(res.status).toBe(200);
    expect(res.body).toContain('This field is required.');
    expect(res.body).toContain('Enter a valid e-mail address.');
    expect(res.body).toContain('Choose a role.');
    expect(res.body).toContain('value="not-an-email"');
  });

  it('lists, searches, edits the role and removes access within the org only', async () => {
    const { org, admin, agent, host } = await adminOf();
    const member = await buildUser(org, { role: 'viewer' });
    await buildUser(await buildOrg(), { role: 'viewer' });
    const list = await agent.get(host, '/users');
    expect(list.body).toContain(`<td>${member.email}</td>`);
    expect(list.body).toContain(`<td>${admin.email}</td>`);
    const search = await agent.get(host, `/users?q=${encodeURIComponent(member.email)}`);
    expect(search.body).toContain(`<td>${member.email}</td>`);
    expect(search.body).not.toContain(`<td>${admin.email}</td>`);

    expect((await agent.post(host, `/users/${member.id}`, { name: 'New Name', role: 'supervisor' })).status).toBe(303);
    expect((await db().orgMembership.findFirstOrThrow({ where: { orgId: org.id, userId: member.id } })).role).toBe('supervisor');
    expect((await agent.post(host, `/users/${member.id}/deactivate`)).status).toBe(303);
    expect((await db().orgMembership.findFirstOrThrow({ where: { orgId: org.id, userId: member.id } })).isActive).toBe(false);
    expect((await db().user.findUniqueOrThrow({ where: { id: member.id } })).isActive).toBe(true);
  });

  it('refuses to let an admin demote or deactivate themselves', async () => {
    const { org, admin, agent, host } = await adminOf();
    expect((await agent.post(host, `/users/${admin.id}`, { name: admin.name, role: 'viewer' })).body).toContain('cannot remove your own administrator role');
    await agent.post(host, `/users/${admin.id}/deactivate`);
    const membership = await db().orgMembership.findFirstOrThrow({ where: { orgId: org.id, userId: admin.id } });
    expect(membership).toMatchObject({ role: 'admin', isActive: true });
  });

  it('answers 404 for a user id that is not a member, or not a number', async () => {
    const { agent, host } = await adminOf();
    const stranger = await buildUser(await buildOrg());
    expect((await agent.get(host, `/users/${stranger.id}`)).status).toBe(404);
    expect((await agent.get(host, '/users/abc')).status).toBe(404);
  });
});
