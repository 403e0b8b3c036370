import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistration } from '../../src/registrations/commands/registrationCreator.js';
import { loadConfig } from '../../src/registrations/config.js';
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
    expect(bad.status).toBe(200);
    expect(bad.body).toContain('Use letters, digits, _ and - only, separated by commas.');
    expect((await agent.post(host, '/registrations/settings', fields)).status).toBe(303);
    expect(await loadConfig(org.id)).toMatchObject({ languages: ['eng_NG', 'fra_NG'], timezone: 'Africa/Lagos', metricPrefix: 'demo' });
    expect((await agent.post(host, '/registrations/reconcile')).status).toBe(303);
  });
});
