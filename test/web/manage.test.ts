import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { env } from '../../src/env.js';
import { open } from '../../src/lib/secretBox.js';
import { buildOrg, buildUser, TEST_PASSWORD } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

let app: TestServer;
beforeAll(async () => {
  app = await startTestServer();
});
afterAll(() => app.close());

async function superuser() {
  const root = await buildUser(null, { isSuperuser: true });
  const agent = app.agent();
  await agent.signIn(root.email, TEST_PASSWORD);
  return { root, agent, host: agent.host() };
}

describe('site management', () => {
  it('creates an org with an encrypted token, edits and deactivates it', async () => {
    const { agent, host } = await superuser();
    const subdomain = `kigali-${Date.now()}`;
    const form = { name: 'Kigali', subdomain, apiUrl: 'https://rapidpro.io', apiToken: 'abc123secret', timezone: 'Africa/Kigali', languages: ['en', 'fr'], defaultLanguage: 'fr' };
    expect((await agent.post(host, '/manage/orgs', form)).status).toBe(303);
    const org = await db().org.findUniqueOrThrow({ where: { subdomain } });
    expect(org.apiTokenEncrypted).not.toContain('abc123secret');
    expect(open(env().encryptionKey, org.apiTokenEncrypted!)).toBe('abc123secret');
    expect(org).toMatchObject({ timezone: 'Africa/Kigali', defaultLanguage: 'fr', languages: ['en', 'fr'] });

    const taken = await agent.post(host, '/manage/orgs', form);
    expect(taken.body).toContain('This subdomain is taken.');

    expect((await agent.post(host, `/manage/orgs/${org.id}`, { ...form, name: 'Kigali City', apiToken: '', isActive: 'on' })).status).toBe(303);
    const edited = await db().org.findUniqueOrThrow({ where: { id: org.id } });
    expect(edited.name).toBe('Kigali City');
    expect(open(env().encryptionKey, edited.apiTokenEncrypted!)).toBe('abc123secret');

    expect((await agent.post(host, `/manage/orgs/${org.id}/deactivate`)).status).toBe(303);
    expect((await agent.get(agent.host(subdomain), '/')).status).toBe(404);
  });

  it('validates the org form', async () => {
    const { agent, host } = await superuser();
    const res = await agent.post(host, '/manage/orgs', { name: '', subdomain: 'Bad Sub!', apiUrl: 'ftp://x', timezone: 'Mars/Base', defaultLanguage: 'fr', languages: ['en'] });
    expect(res.status).toBe(200);
    for (const message of ['This field is required.', 'Use lower-case letters', 'Enter the RapidPro server address', 'Choose a time zone.']) {
      expect(res.body).toContain(message);
    }
  });

  it('creates, edits and deactivates accounts, and keeps superusers from locking themselves out', async () => {
    const { root, agent, host } = await superuser();
    const email = `ops-${Date.now()}@example.org`;
    const created = await agent.post(host, '/manage/users', { name: 'Ops', email, password: 'long-secret-9', confirm: 'long-secret-9', isSuperuser: 'on' });
    expect(created.status).toBe(303);
    const user = await db().user.findUniqueOrThrow({ where: { email } });
    expect(user.isSuperuser).toBe(true);
    expect((await agent.post(host, `/manage/users/${user.id}`, { name: 'Ops 2', email, password: '', confirm: '', isActive: 'on' })).status).toBe(303);
    expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ name: 'Ops 2', isSuperuser: false });
    expect((await agent.post(host, `/manage/users/${user.id}/deactivate`)).status).toBe(303);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).isActive).toBe(false);

    const self = await agent.post(host, `/manage/users/${root.id}`, { name: root.name, email: root.email, isActive: 'on' });
    expect(self.body).toContain('You cannot demote or deactivate yourself.');
  });

  it('shows the org chooser with only the user’s orgs', async () => {
    const [mine, theirs] = [await buildOrg(), await buildOrg()];
    const user = await buildUser(mine, { role: 'viewer' });
    const agent = app.agent();
    await agent.signIn(user.email, TEST_PASSWORD);
    const page = await agent.get(agent.host(), '/');
    expect(page.body).toContain(mine.name);
    expect(page.body).not.toContain(theirs.name);
  });
});
