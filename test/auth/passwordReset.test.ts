import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { buildOrg, buildUser, TEST_PASSWORD } from '../support/factories.js';
import { drainQueue } from '../support/queues.js';
import { startTestServer, type TestServer } from '../support/server.js';

let app: TestServer;
beforeAll(async () => {
  app = await startTestServer();
});
afterAll(() => app.close());

describe('password reset by e-mail', () => {
  it('mails a link to the outbox that works once', async () => {
    const user = await buildUser(await buildOrg());
    const agent = app.agent();
    const asked = await agent.post(agent.host(), '/password/forgot', { email: user.email.toUpperCase() });
    expect(asked.status).toBe(303);
    await drainQueue('mail');

    const mail = await db().outboxMail.findFirst({ where: { to: user.email }, orderBy: { id: 'desc' } });
    expect(mail?.subject).toBe('Choose a new TracPro password');
    const link = /http:\/\/tracpro\.localhost(\/password\/reset\/[\w-]+)/.exec(mail!.text);
    expect(link).not.toBeNull();
    const path = link![1]!;

    expect((await agent.get(agent.host(), path)).body).toContain('name="password"');
    const weak = await agent.post(agent.host(), path, { password: 'password', confirm: 'password' });
    expect(weak.status).toBe(200);
    expect(weak.body).toContain('This password is too common');
    const done = await agent.post(agent.host(), path, { password: 'a-brand-new-secret', confirm: 'a-brand-new-secret' });
    expect(done.status).toBe(303);

    const again = await agent.post(agent.host(), path, { password: 'another-new-secret', confirm: 'another-new-secret' });
    expect(again.status).toBe(400);
    expect((await agent.get(agent.host(), path)).body).toContain('expired or has already been used');

    const fresh = app.agent();
    expect((await fresh.post(fresh.host(), '/login', { email: user.email, password: TEST_PASSWORD })).status).toBe(401);
    expect((await fresh.post(fresh.host(), '/login', { email: user.email, password: 'a-brand-new-secret' })).status).toBe(303);
  });

  it('answers the same for an unknown address and sends nothing', async () => {
    const agent = app.agent();
    const before = await db().outboxMail.count({ where: { to: 'nobody-here@example.org' } });
    const res = await agent.post(agent.host(), '/password/forgot', { email: 'nobody-here@example.org' });
    expect(res.status).toBe(303);
    await drainQueue('mail');
    expect(await db().outboxMail.count({ where: { to: 'nobody-here@example.org' } })).toBe(before);
  });

  it('lists outbox mail for superusers only', async () => {
    const root = await buildUser(null, { isSuperuser: true });
    const admin = await buildUser(await buildOrg());
    const agent = app.agent();
    await agent.signIn(root.email, TEST_PASSWORD);
    expect((await agent.get(agent.host(), '/manage/outbox')).status).toBe(200);
    const other = app.agent();
    await other.signIn(admin.email, TEST_PASSWORD);
    expect((await other.get(other.host(), '/manage/outbox')).status).toBe(404);
  });
});
