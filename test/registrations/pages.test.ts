import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistration } from '../../src/registrations/commands/registrationCreator.js';
import { loadConfig, openSecret, saveConfig } from '../../src/registrations/config.js';
import { dayStart, localDay } from '../../src/registrations/metrics/buckets.js';
import { exportTooLarge } from '../../src/registrations/dashboard.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { buildOrg, buildUser, TEST_PASSWORD } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildSource, MOTHER, prebirthData } from './support.js';

let app: TestServer;
beforeAll(async () => {
  app = await startTestServer();
});
afterAll(() => app.close());

async function signedIn(role: 'admin' | 'supervisor' | 'viewer') {
  const built = await buildSource();
  const user = await buildUser(built.org, { role });
  const agent = app.agent();
  await agent.signIn(user.email, TEST_PASSWORD);
  return { ...built, agent, host: agent.host(built.org.subdomain) };
}

describe('the Registrations page', () => {
  it('sends the signed-out to sign-in, hides from other orgs, and shows viewers the dashboard without admin actions', async () => {
    const { org, source, agent, host } = await signedIn('viewer');
    await createRegistration(org.id, source, { stage: 'prebirth', motherId: MOTHER, data: prebirthData({ receiver_id: MOTHER }) }, 'test');
    expect((await app.agent().get(host, '/registrations')).status).toBe(303);
    const outsider = app.agent();
    await outsider.signIn((await buildUser(await buildOrg(), { role: 'admin' })).email, TEST_PASSWORD);
    expect((await outsider.get(host, '/registrations')).status).toBe(404);
    const page = await agent.get(host, '/registrations?from=2000-01-01&interval=bogus');
    expect(page.status).toBe(200);
    expect(page.body).toContain('data-chart="registrations-series"');
    expect(page.body).toContain('mother_requires_own_id');
    expect(page.body).not.toContain('action="/registrations/recompute"');
    expect((await agent.post(host, '/registrations/reconcile')).status).toBe(403);
    const chart = JSON.parse((await agent.get(host, '/registrations/charts/created.json?from=2020-01-01&interval=1mo')).body);
    expect(chart.datasets[0].data.reduce((a: number, b: number) => a + b, 0)).toBe(1);
    const sum = async (sourceId: string) => JSON.parse((await agent.get(host, `/registrations/charts/created.json?from=2020-01-01&interval=1mo&source=${sourceId}`)).body).datasets[0].data.reduce((a: number, b: number) => a + b, 0);
    expect([await sum(source.id), await sum('00000000-0000-4000-8000-000000000000')]).toEqual([1, 0]);
  });

  it('reads the period as whole days of the org’s time zone', async () => {
    const { org, source, agent, host } = await signedIn('viewer');
    await saveConfig(org.id, { timezone: 'Africa/Lagos' });
    // 2 January, 00:30 in Lagos.
    await createRegistration(org.id, source, { stage: 'public', motherId: MOTHER, data: {} }, 'test', new Date('2024-01-01T23:30:00Z'));
    const chart = async (from: string, to: string) => JSON.parse((await agent.get(host, `/registrations/charts/created.json?from=${from}&to=${to}&interval=1d`)).body);
    expect(await chart('2024-01-02', '2024-01-02')).toMatchObject({ labels: ['2024-01-02'], datasets: [{ data: [1] }, { data: [1] }] });
    expect(await chart('2024-01-01', '2024-01-01')).toMatchObject({ labels: ['2024-01-01'], datasets: [{ data: [0] }, { data: [0] }] });
    expect([dayStart('2024-01-02', 'Africa/Lagos').toISOString(), dayStart('2024-01-31', 'Africa/Lagos', 1).toISOString()]).toEqual(['2024-01-01T23:00:00.000Z', '2024-01-31T23:00:00.000Z']);
    expect([localDay(new Date('2024-01-01T23:30:00Z'), 'Africa/Lagos'), localDay(new Date('2024-01-01T23:30:00Z'), 'UTC')]).toEqual(['2024-01-02', '2024-01-01']);
  });

  it('exports the registrations as CSV with the legacy invalid_fields', async () => {
    const { org, source, agent, host } = await signedIn('supervisor');
    await createRegistration(org.id, source, { stage: 'prebirth', motherId: MOTHER, data: prebirthData({ receiver_id: MOTHER }) }, 'test');
    await createRegistration(org.id, source, { stage: 'public', motherId: '=cmd', data: {} }, 'test');
    const csv = await agent.get(host, '/registrations/export.csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toContain('invalid_fields');
    expect(lines).toHaveLength(3);
    expect(csv.body).toContain('mother requires own id');
    expect(csv.body).toContain("'=cmd");
    // Past the cap the page asks for shorter dates rather than send a file cut short.
    const period = { from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 1000), sources: [] };
    expect([await exportTooLarge(org.id, period, 2), await exportTooLarge(org.id, period, 1)]).toEqual([false, true]);
  });

  it('lets admins edit the configuration, re-rendering field errors', async () => {
    const { org, agent, host } = await signedIn('admin');
    const form = (await agent.get(host, '/registrations/settings')).body;
    expect(form).toContain('eng_NG, hau_NG');
    const fields = {
      msgTypes: 'text, audio', receiverTypes: 'mother_only, friend_only', householdOnlyReceivers: 'friend_only', languages: 'eng_NG, fra_NG', states: 'abuja',
      roles: 'midwife', optoutReasons: 'other', optoutSources: 'sms', lossReasons: 'miscarriage', prebirthMin: '10', prebirthMax: '42', postbirthMin: '0',
      postbirthMax: '52', timezone: 'Africa/Lagos', welcomeText: 'Hello', publicAssetBaseUrl: '', metricPrefix: 'demo',
    };
    const bad = await agent.post(host, '/registrations/settings', { ...fields, languages: 'bad value!', timezone: 'Mars/Base' });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('Use letters, digits, _ and - only, separated by commas.');
    expect((await agent.post(host, '/registrations/settings', fields)).status).toBe(303);
    expect(await loadConfig(org.id)).toMatchObject({ languages: ['eng_NG', 'fra_NG'], timezone: 'Africa/Lagos', metricPrefix: 'demo' });
    expect((await agent.post(host, '/registrations/reconcile')).status).toBe(303);
    // A job under way: the page follows its progress.
    const running = await orgDb(org.id).metricJobRun.create({ data: { orgId: org.id, kind: 'recompute', status: 'running', progress: 0.5 } });
    expect((await agent.get(host, '/registrations')).body).toContain(`data-job-progress="/api/v1/jobs/${running.id}"`);
    expect(JSON.parse((await agent.get(host, `/api/v1/jobs/${running.id}`)).body)).toMatchObject({ status: 'running', progress: 0.5 });
  });

  it('lets admins choose HTTP services and metric sinks, keeping stored secrets sealed and unseen', async () => {
    const { org, agent, host } = await signedIn('admin');
    const base = {
      msgTypes: 'text, audio', receiverTypes: 'mother_only', householdOnlyReceivers: 'friend_only', languages: 'eng_NG', states: 'abuja', roles: 'midwife',
      optoutReasons: 'other', optoutSources: 'sms', lossReasons: 'miscarriage', prebirthMin: '10', prebirthMax: '42', postbirthMin: '0', postbirthMax: '52',
      timezone: 'UTC', welcomeText: 'Hello', publicAssetBaseUrl: '', metricPrefix: 'hm',
    };
    expect((await agent.get(host, '/registrations/settings')).body).toContain('name="identityStoreKind"');
    const missing = await agent.post(host, '/registrations/settings', { ...base, identityStoreKind: 'http', identityStoreUrl: '', sinkGraphiteHost: 'carbon', sinkGraphitePort: '' });
    expect(missing.status).toBe(400);
    expect(missing.body).toContain('id="e-identityStoreUrl"');
    expect(missing.body).toContain('id="e-sinkGraphitePort"');
    const choose = {
      ...base, identityStoreKind: 'http', identityStoreUrl: 'https://identity.example.org/api/v1/', identityStoreToken: 'id-secret', messagingKind: 'local', senderKind: 'local',
      sinkLocal: 'on', sinkHttpUrl: 'https://metrics.example.org/', sinkHttpUsername: 'hm', sinkHttpPassword: 'm-secret', sinkGraphiteHost: 'carbon.example.org', sinkGraphitePort: '2003',
    };
    expect((await agent.post(host, '/registrations/settings', choose)).status).toBe(303);
    const { adapters } = await loadConfig(org.id);
    expect(adapters).toMatchObject({
      identityStore: { kind: 'http', url: 'https://identity.example.org/api/v1/' }, messaging: { kind: 'local' },
      sinks: [{ kind: 'local' }, { kind: 'http', url: 'https://metrics.example.org/', username: 'hm' }, { kind: 'graphite', host: 'carbon.example.org', port: 2003 }],
    });
    const sealed = adapters.identityStore.kind === 'http' ? adapters.identityStore.tokenSealed : undefined;
    expect(sealed).not.toContain('id-secret');
    expect(openSecret(sealed)).toBe('id-secret');
    const page = (await agent.get(host, '/registrations/settings')).body;
    expect(page).not.toContain('id-secret');
    expect(page).toContain('Leave empty to keep the current token.');
    // Saved again with the secrets left empty: they stay; the HTTP sink and Graphite are dropped when emptied.
    const { sinkLocal: _unchecked, ...withoutLocal } = choose;
    expect((await agent.post(host, '/registrations/settings', { ...withoutLocal, identityStoreToken: '', sinkHttpPassword: '', sinkGraphiteHost: '', sinkGraphitePort: '' })).status).toBe(303);
    const again = (await loadConfig(org.id)).adapters;
    expect(again.identityStore.kind === 'http' && openSecret(again.identityStore.tokenSealed)).toBe('id-secret');
    expect(again.sinks).toHaveLength(1);
    expect(again.sinks[0]!.kind === 'http' && openSecret(again.sinks[0]!.passwordSealed)).toBe('m-secret');
  });

  it('lets admins send metrics to Graphite over AMQP, the address’s password sealed and never shown', async () => {
    const { org, agent, host } = await signedIn('admin');
    const base = {
      msgTypes: 'text, audio', receiverTypes: 'mother_only', householdOnlyReceivers: 'friend_only', languages: 'eng_NG', states: 'abuja', roles: 'midwife',
      optoutReasons: 'other', optoutSources: 'sms', lossReasons: 'miscarriage', prebirthMin: '10', prebirthMax: '42', postbirthMin: '0', postbirthMax: '52',
      timezone: 'UTC', welcomeText: 'Hello', publicAssetBaseUrl: '', metricPrefix: 'hm', sinkLocal: 'on',
    };
    const amqpSink = async () => (await loadConfig(org.id)).adapters.sinks.find((s) => s.kind === 'amqp');
    expect((await agent.get(host, '/registrations/settings')).body).toMatch(/name="sinkAmqpExchange" type="text"\s+value="graphite"/);
    const bad = await agent.post(host, '/registrations/settings', { ...base, sinkAmqpUrl: 'https://rabbit.example.org/', sinkAmqpExchange: 'no spaces' });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('id="e-sinkAmqpUrl"');
    expect(bad.body).toContain('Enter an address starting with amqp:// or amqps://.');
    expect(bad.body).toContain('id="e-sinkAmqpExchange"');
    expect(await amqpSink()).toBeUndefined();

    const choose = { ...base, sinkAmqpUrl: 'amqp://hm@rabbit.example.org:5672/%2f', sinkAmqpPassword: 'r-secret', sinkAmqpExchange: 'metrics' };
    expect((await agent.post(host, '/registrations/settings', choose)).status).toBe(303);
    expect((await loadConfig(org.id)).adapters.sinks).toMatchObject([{ kind: 'local' }, { kind: 'amqp', url: 'amqp://hm@rabbit.example.org:5672/%2f', exchange: 'metrics' }]);
    const stored = await amqpSink();
    expect(stored?.urlSealed).not.toContain('r-secret');
    expect(openSecret(stored?.urlSealed)).toBe('amqp://hm:r-secret@rabbit.example.org:5672/%2f');
    const page = (await agent.get(host, '/registrations/settings')).body;
    expect(page).not.toContain('r-secret');
    expect(page).toContain('value="amqp://hm@rabbit.example.org:5672/%2f"');
    expect(page).toContain('Leave empty to keep the current password.');
    // A form sent back with an error still says a password is stored, and shows none.
    const again = await agent.post(host, '/registrations/settings', { ...choose, sinkAmqpPassword: '', sinkAmqpUrl: 'rabbit.example.org' });
    expect(again.status).toBe(400);
    expect(again.body).toContain('Leave empty to keep the current password.');
    expect(again.body).not.toContain('r-secret');
    // …nor a password typed into the address.
    const typed = await agent.post(host, '/registrations/settings', { ...choose, sinkAmqpUrl: 'amqp://hm:typed-secret@rabbit.example.org/', metricPrefix: 'no spaces' });
    expect(typed.status).toBe(400);
    expect(typed.body).toContain('value="amqp://hm@rabbit.example.org/"');
    expect(typed.body).not.toContain('typed-secret');

    // Left empty, the password is kept for a new address; one typed into the address is taken from it; the default exchange is Graphite's.
    expect((await agent.post(host, '/registrations/settings', { ...choose, sinkAmqpUrl: 'amqps://hm@rabbit2.example.org/', sinkAmqpPassword: '', sinkAmqpExchange: '' })).status).toBe(303);
    expect(await amqpSink()).toMatchObject({ url: 'amqps://hm@rabbit2.example.org/', exchange: 'graphite' });
    expect(openSecret((await amqpSink())?.urlSealed)).toBe('amqps://hm:r-secret@rabbit2.example.org/');
    expect((await agent.post(host, '/registrations/settings', { ...choose, sinkAmqpUrl: 'amqp://other:p%40ss@rabbit.example.org/', sinkAmqpPassword: '' })).status).toBe(303);
    expect(await amqpSink()).toMatchObject({ url: 'amqp://other@rabbit.example.org/' });
    expect(openSecret((await amqpSink())?.urlSealed)).toBe('amqp://other:p%40ss@rabbit.example.org/');
    expect((await agent.get(host, '/registrations/settings')).body).not.toContain('p%40ss');
    // An emptied address drops the sink.
    expect((await agent.post(host, '/registrations/settings', { ...choose, sinkAmqpUrl: '', sinkAmqpPassword: '' })).status).toBe(303);
    expect((await loadConfig(org.id)).adapters.sinks).toEqual([{ kind: 'local' }]);
  });
});
