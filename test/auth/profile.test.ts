import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { buildOrg, buildUser, TEST_PASSWORD } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

let app: TestServer;
beforeAll(async () => {
  app = await startTestServer();
});
afterAll(() => app.close());

describe('profile', () => {
  it('forces a password change before anything else, then clears the flag', async () => {
    const org = await buildOrg();
    const user = await buildUser(org, { mustChangePassword: true });
    const agent = app.agent();
    await agent.signIn(user.email, TEST_PASSWORD);
    const home = await agent.get(agent.host(org.subdomain), '/');
    expect(home.status).toBe(303);
    expect(home.location).toBe('/profile');
    const host = agent.host(org.subdomain);
    const missing = await agent.post(host, '/profile', { name: user.name, email: user.email, currentPassword: TEST_PASSWORD, newPassword: '', confirm: '' });
    expect(missing.body).toContain('This field is required.');
    const saved = await agent.post(host, '/profile', {
      name: 'Renamed', email: user.email, currentPassword: TEST_PASSWORD, newPassword: 'fresh-secret-42', confirm: 'fresh-secret-42',
    });
    expect(saved.status).toBe(303);
    expect((await agent.get(host, '/')).status).toBe(200);
    const row = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.mustChangePassword).toBe(false);
    expect(row.name).toBe('Renamed');
  });

  it('needs the current password, refuses short and common passwords and taken e-mails', async () => {
    const user = await buildUser(await buildOrg());
    const other = await buildUser(null);
    const agent = app.agent();
    await agent.signIn(user.email, TEST_PASSWORD);
    const base = { name: user.name, email: user.email, currentPassword: TEST_PASSWORD };
    expect((await agent.post(agent.host(), '/profile', { ...base, newPassword: 'short', confirm: 'short' })).body).toContain('Use at least 8 characters.');
    expect((await agent.post(agent.host(), '/profile', { ...base, newPassword: 'password123', confirm: 'password123' })).body).toContain('too common');
    expect((await agent.post(agent.host(), '/profile', { ...base, newPassword: 'long-enough-1', confirm: 'long-enough-2' })).body).toContain('The two passwords differ.');
    expect((await agent.post(agent.host(), '/profile', { ...base, currentPassword: 'nope', newPassword: 'long-enough-1', confirm: 'long-enough-1' })).body).toContain('current password is not right');
    expect((await agent.post(agent.host(), '/profile', { ...base, email: other.email })).body).toContain('Another account already uses this e-mail.');
  });

  it('switches the interface language and sets right-to-left for Persian', async () => {
    const org = await buildOrg({ languages: ['en', 'fa'] });
    const user = await buildUser(org);
    const agent = app.agent();
    await agent.signIn(user.email, TEST_PASSWORD);
    const host = agent.host(org.subdomain);
    expect((await agent.post(host, '/language', { language: 'fa', next: '/users' })).location).toBe('/users');
    const page = await agent.get(host, '/');
    expect(page.body).toContain('<html lang="fa" dir="rtl">');
    expect(page.body).toContain('bootstrap.rtl.min.css');
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).language).toBe('fa');
  });

  it('negotiates the language: the org default, then Accept-Language', async () => {
    const agent = app.agent();
    expect((await agent.get(agent.host(), '/login', { 'Accept-Language': 'es-ES,es;q=0.9' })).body).toContain('<html lang="es"');
    const org = await buildOrg({ defaultLanguage: 'fr', languages: ['fr', 'en'] });
    const user = await buildUser(org);
    await agent.signIn(user.email, TEST_PASSWORD);
    expect((await agent.get(agent.host(org.subdomain), '/', { 'Accept-Language': 'es' })).body).toContain('<html lang="fr"');
  });
});
