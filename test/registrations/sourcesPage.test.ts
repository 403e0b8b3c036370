import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { hashToken } from '../../src/registrations/commands/sourceCreator.js';
import { buildOrg, buildUser, TEST_PASSWORD } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

let app: TestServer;
beforeAll(async () => {
  app = await startTestServer();
});
afterAll(() => app.close());

function apiGet(host: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: app.port, path: '/api/v1/registrations', headers: { Host: host, Authorization: `Token ${token}` } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('sources and tokens page', () => {
  it('lets an admin add a source, issue a token shown once, and revoke it', async () => {
    const org = await buildOrg();
    const admin = await buildUser(org, { role: 'admin' });
    const agent = app.agent();
    await agent.signIn(admin.email, TEST_PASSWORD);
    const host = agent.host(org.subdomain);
    expect((await agent.post(host, '/registrations/sources', { name: 'USSD', slug: 'ussd', authority: 'hw_full' })).status).toBe(303);
    const duplicate = await agent.post(host, '/registrations/sources', { name: 'Again', slug: 'ussd', authority: 'hw_full' });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body).toContain('Another source already uses this slug.');
    const source = await db().registrationSource.findFirstOrThrow({ where: { orgId: org.id, slug: 'ussd' } });

    const issued = await agent.post(host, `/registrations/sources/${source.id}/tokens`, { scopes: ['registrations:read', 'registrations:write'] });
    expect(issued.status).toBe(200);
    const secret = /<code class="token-secret[^>]*>([\w-]+)<\/code>/.exec(issued.body)?.[1];
    expect(secret).toBeDefined();
    const stored = await db().registrationSourceToken.findFirstOrThrow({ where: { sourceId: source.id } });
    expect(stored.tokenHash).toBe(hashToken(secret!));
    expect((await agent.get(host, '/registrations/sources')).body).not.toContain(secret!);
    expect(await apiGet(host, secret!)).toBe(200);

    expect((await agent.post(host, `/registrations/sources/${source.id}/tokens/${stored.id}/revoke`)).status).toBe(303);
    expect(await apiGet(host, secret!)).toBe(401);
  });

  it('is for admins: viewers get 403, other orgs 404', async () => {
    const org = await buildOrg();
    const viewer = await buildUser(org, { role: 'viewer' });
    const outsider = await buildUser(await buildOrg(), { role: 'admin' });
    const agent = app.agent();
    await agent.signIn(viewer.email, TEST_PASSWORD);
    expect((await agent.get(agent.host(org.subdomain), '/registrations/sources')).status).toBe(403);
    const other = app.agent();
    await other.signIn(outsider.email, TEST_PASSWORD);
    expect((await other.get(other.host(org.subdomain), '/registrations/sources')).status).toBe(404);
  });
});
