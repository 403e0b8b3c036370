import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { api, buildSource, MOTHER } from './support.js';

let app: TestServer;
beforeAll(async () => {
  app = await startTestServer();
});
afterAll(() => app.close());

describe('API list paging (spec §4.2)', () => {
  it('walks newest first with nextCursor and back with prevCursor, each null at its end', async () => {
    const { org, source, token } = await buildSource();
    const agent = app.agent();
    const host = agent.host(org.subdomain);
    // Five rows, two sharing a creation time, so the id tiebreak is walked both ways too.
    const times = ['2026-01-01T10:00:00Z', '2026-01-01T11:00:00Z', '2026-01-01T11:00:00Z', '2026-01-01T12:00:00Z', '2026-01-01T13:00:00Z'];
    for (const at of times) {
      await orgDb(org.id).registration.create({ data: { orgId: org.id, sourceId: source.id, stage: 'public', motherId: MOTHER, validationStatus: 'invalid', createdBy: 't', updatedBy: 't', createdAt: new Date(at) } });
    }
    const all = (await api(agent, 'GET', host, '/api/v1/registrations', token)).json;
    expect(all).toMatchObject({ nextCursor: null, prevCursor: null });
    const ids = (all.items as { id: string }[]).map((r) => r.id);
    expect(ids).toHaveLength(5);

    const page = async (cursor?: string) => (await api(agent, 'GET', host, `/api/v1/registrations?limit=2${cursor ? `&cursor=${cursor}` : ''}`, token)).json;
    const idsOf = (p: { items: { id: string }[] }) => p.items.map((r) => r.id);
    const first = await page();
    expect([idsOf(first), first.prevCursor]).toEqual([ids.slice(0, 2), null]);
    const second = await page(first.nextCursor);
    expect(idsOf(second)).toEqual(ids.slice(2, 4));
    const third = await page(second.nextCursor);
    expect([idsOf(third), third.nextCursor]).toEqual([ids.slice(4), null]);
    const backToSecond = await page(third.prevCursor);
    expect(idsOf(backToSecond)).toEqual(ids.slice(2, 4));
    expect(backToSecond.nextCursor).toBeTruthy();
    const backToFirst = await page(backToSecond.prevCursor);
    expect([idsOf(backToFirst), backToFirst.prevCursor]).toEqual([ids.slice(0, 2), null]);
    expect(idsOf(await page(backToFirst.nextCursor))).toEqual(ids.slice(2, 4));
    // An unreadable cursor is ignored (first page).
    expect(idsOf(await page('bm9wZQ'))).toEqual(ids.slice(0, 2));
  });

  it('pages changes the same way, within the filters', async () => {
    const { org, token } = await buildSource();
    const agent = app.agent();
    const host = agent.host(org.subdomain);
    for (const [i, action] of ['change_language', 'change_baby', 'change_language', 'change_language'].entries()) {
      await orgDb(org.id).registrationChange.create({ data: { orgId: org.id, motherId: MOTHER, action, createdBy: 't', updatedBy: 't', createdAt: new Date(Date.UTC(2026, 0, 1, i)) } });
    }
    const first = (await api(agent, 'GET', host, '/api/v1/changes?action=change_language&limit=2', token)).json;
    expect(first.items.map((c: { createdAt: string }) => c.createdAt)).toEqual(['2026-01-01T03:00:00.000Z', '2026-01-01T02:00:00.000Z']);
    const second = (await api(agent, 'GET', host, `/api/v1/changes?action=change_language&limit=2&cursor=${first.nextCursor}`, token)).json;
    expect(second).toMatchObject({ items: [{ createdAt: '2026-01-01T00:00:00.000Z' }], nextCursor: null });
    const back = (await api(agent, 'GET', host, `/api/v1/changes?action=change_language&limit=2&cursor=${second.prevCursor}`, token)).json;
    expect(back.items).toEqual(first.items);
    expect(back.prevCursor).toBeNull();
  });
});

describe('malformed JSON bodies (spec §4.3)', () => {
  it('get the API’s invalid_json envelope, on intake, changes and the opt-out hook', async () => {
    const { org, token } = await buildSource();
    const agent = app.agent();
    const host = agent.host(org.subdomain);
    for (const path of ['/api/v1/registrations', '/api/v1/changes', '/api/v1/hooks/optouts']) {
      const res = await api(agent, 'POST', host, path, token, '{"stage":');
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: { code: 'invalid_json', message: expect.any(String), fields: {} } });
    }
    expect(await orgDb(org.id).registration.count()).toBe(0);
  });
});
