import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { buildOrg, buildUser, TEST_PASSWORD } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { api, buildSource, MOTHER, prebirthData, weeksAgo } from './support.js';

let app: TestServer;
beforeAll(async () => {
  app = await startTestServer();
});
afterAll(() => app.close());

describe('POST /api/v1/registrations', () => {
  it('answers 401 without a token or with an unknown or revoked one, and 404 with another org’s token', async () => {
    const { org, token } = await buildSource();
    const other = await buildSource();
    const agent = app.agent();
    const host = agent.host(org.subdomain);
    const body = { stage: 'prebirth', motherId: MOTHER, data: prebirthData() };
    expect((await api(agent, 'POST', host, '/api/v1/registrations', null, body)).status).toBe(401);
    expect((await api(agent, 'POST', host, '/api/v1/registrations', 'x'.repeat(40), body)).json.error.code).toBe('unauthorized');
    expect((await api(agent, 'POST', host, '/api/v1/registrations', other.token, body)).status).toBe(404);
    await orgDb(org.id).registrationSourceToken.updateMany({ data: { revokedAt: new Date() } });
    expect((await api(agent, 'POST', host, '/api/v1/registrations', token, body)).status).toBe(401);
    expect(await orgDb(org.id).registration.count()).toBe(0);
  });

  it('answers 400 with field errors and stores nothing when the body is not a registration', async () => {
    const { org, token } = await buildSource();
    const agent = app.agent();
    const host = agent.host(org.subdomain);
    const bad = await api(agent, 'POST', host, '/api/v1/registrations', token, { stage: 'unborn', motherId: 'x'.repeat(37), data: 'text' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('invalid_request');
    expect(Object.keys(bad.json.error.fields).sort()).toEqual(['data', 'motherId', 'stage']);
    expect((await api(agent, 'POST', host, '/api/v1/registrations', token, { stage: 'prebirth' })).json.error.fields.motherId).toBeDefined();
    expect((await api(agent, 'POST', host, '/api/v1/registrations', token, '[1,2]')).status).toBe(400);
    expect((await api(agent, 'POST', host, '/api/v1/registrations', token, '{"stage":')).status).toBe(400);
    expect(await orgDb(org.id).registration.count()).toBe(0);
  });

  it('stores a valid registration, and one that breaks a business rule with validated false and its reasons', async () => {
    const { org, source, token } = await buildSource();
    const agent = app.agent();
    const host = agent.host(org.subdomain);
    const ok = await api(agent, 'POST', host, '/api/v1/registrations', token, { stage: 'prebirth', mother_id: MOTHER, data: prebirthData({ last_period_date: weeksAgo(20) }), validated: true, source: 'x' });
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ sourceId: source.id, stage: 'prebirth', motherId: MOTHER, validated: true, regType: 'hw_pre', invalidReasons: [] });
    const invalid = await api(agent, 'POST', host, '/api/v1/registrations', token, { stage: 'prebirth', motherId: MOTHER, data: prebirthData({ receiver_id: MOTHER }) });
    expect(invalid.status).toBe(201);
    expect(invalid.json).toMatchObject({ validated: false, validationStatus: 'invalid', invalidReasons: ['mother_requires_own_id'] });
    const empty = await api(agent, 'POST', host, '/api/v1/registrations', token, { stage: 'public', motherId: MOTHER, data: null });
    expect(empty.json).toMatchObject({ data: {}, validated: false, invalidReasons: ['invalid_field_combination'] });
    expect(await orgDb(org.id).registration.count()).toBe(3);

    const list = await api(agent, 'GET', host, '/api/v1/registrations?validated=false&limit=1&unknown=1', token);
    expect(list.json.items).toHaveLength(1);
    expect(list.json.nextCursor).toBeTruthy();
    const next = await api(agent, 'GET', host, `/api/v1/registrations?validated=false&limit=1&cursor=${list.json.nextCursor}`, token);
    expect(next.json.items[0].id).not.toBe(list.json.items[0].id);
    expect(next.json.nextCursor).toBeNull();
    const patched = await api(agent, 'PATCH', host, `/api/v1/registrations/${ok.json.id}`, token, { data: { note: 'replaced' } });
    expect(patched.json).toMatchObject({ data: { note: 'replaced' }, validated: true });
    const other = await buildSource();
    expect((await api(agent, 'GET', agent.host(other.org.subdomain), `/api/v1/registrations/${ok.json.id}`, other.token)).status).toBe(404);
  });
});

describe('changes and opt-outs', () => {
  it('validates the action, stores a change, and takes opt-out notifications', async () => {
    const { org, token } = await buildSource();
    const agent = app.agent();
    const host = agent.host(org.subdomain);
    expect((await api(agent, 'POST', host, '/api/v1/changes', token, { motherId: MOTHER, action: 'fly', data: {} })).status).toBe(400);
    const change = await api(agent, 'POST', host, '/api/v1/changes', token, { motherId: MOTHER, action: 'change_language', data: { new_language: 'hau_NG' } });
    expect(change.status).toBe(201);
    expect(change.json).toMatchObject({ action: 'change_language', status: 'pending' });
    expect((await api(agent, 'GET', host, `/api/v1/changes/${change.json.id}`, token)).json.id).toBe(change.json.id);

    const missing = await api(agent, 'POST', host, '/api/v1/hooks/optouts', token, { identity: MOTHER });
    expect(missing.status).toBe(400);
    expect(missing.json.error.code).toBe('missing_fields');
    const hook = await api(agent, 'POST', host, '/api/v1/hooks/optouts', token, { identity: MOTHER, optout_reason: 'miscarriage', optout_source: 'ussd_public', details: {} });
    expect(hook.status).toBe(200);
    expect(hook.json).toEqual({});
    expect(await orgDb(org.id).optoutEvent.count()).toBe(1);
  });

  it('refuses the opt-out hook and Prometheus to tokens without the scope', async () => {
    const { org, token } = await buildSource({ scopes: ['registrations:write'] });
    const agent = app.agent();
    const host = agent.host(org.subdomain);
    expect((await api(agent, 'POST', host, '/api/v1/hooks/optouts', token, { identity: MOTHER, optout_reason: 'x', optout_source: 'sms' })).status).toBe(403);
    expect((await api(agent, 'GET', host, '/api/v1/metrics/prometheus', token)).status).toBe(403);
  });
});

describe('admin routes', () => {
  it('are 403 for source tokens and viewers, 401 signed out, and work for admins', async () => {
    const { org, token } = await buildSource();
    const agent = app.agent();
    const host = agent.host(org.subdomain);
    expect((await api(agent, 'GET', host, '/api/v1/sources', token)).status).toBe(403);
    expect((await api(agent, 'GET', host, '/api/v1/sources', null)).status).toBe(401);
    const viewer = await buildUser(org, { role: 'viewer' });
    await agent.signIn(viewer.email, TEST_PASSWORD);
    expect((await api(agent, 'GET', host, '/api/v1/metrics/catalogue', null)).status).toBe(200);
    expect((await api(agent, 'POST', host, '/api/v1/metrics/reconcile', null, {})).status).toBe(403);
    const outsider = app.agent();
    await outsider.signIn((await buildUser(await buildOrg(), { role: 'admin' })).email, TEST_PASSWORD);
    expect((await api(outsider, 'GET', host, '/api/v1/sources', null)).status).toBe(404);

    const admin = app.agent();
    await admin.signIn((await buildUser(org, { role: 'admin' })).email, TEST_PASSWORD);
    const origin = { Origin: `http://${host}` };
    const created = await admin.request('POST', host, '/api/v1/sources', JSON.stringify({ name: 'IVR', slug: 'ivr', authority: 'patient' }), { 'Content-Type': 'application/json', ...origin });
    expect(created.status).toBe(201);
    const sourceId = JSON.parse(created.body).id as string;
    const issued = await admin.request('POST', host, `/api/v1/sources/${sourceId}/tokens`, JSON.stringify({ scopes: ['metrics:read'] }), { 'Content-Type': 'application/json', ...origin });
    const secret = JSON.parse(issued.body).token as string;
    const stored = await orgDb(org.id).registrationSourceToken.findFirstOrThrow({ where: { sourceId } });
    expect(stored.tokenHash).not.toContain(secret);
    const prom = await api(agent, 'GET', host, '/api/v1/metrics/prometheus', secret);
    expect(prom.status).toBe(200);
    expect(prom.body).toContain('tracpro_registrations_created_total 0');
    const crossSite = await admin.request('POST', host, '/api/v1/metrics/reconcile', '{}', { 'Content-Type': 'application/json', Origin: 'http://evil.example' });
    expect(crossSite.status).toBe(403);
  });
});
