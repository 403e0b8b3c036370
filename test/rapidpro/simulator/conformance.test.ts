import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../src/rapidpro/simulator/index.js';
import { startTestSimulator, TOKEN } from '../support.js';

const get = async (sim: RunningSimulator, path: string): Promise<{ status: number; body: any } /* eslint-disable-line @typescript-eslint/no-explicit-any -- assertions walk arbitrary API JSON */> => {
  const response = await fetch(`${sim.url}${path}`, { headers: { Authorization: `Token ${TOKEN}` } });
  return { status: response.status, body: await response.json() };
};

describe('simulator conformance', () => {
  let sim: RunningSimulator;
  afterEach(async () => sim?.close());

  it('pages a 1,255-row table in exactly 6 requests of 250', async () => {
    sim = await startTestSimulator({ contacts: 1300 });
    const live = sim.state().contacts;
    const total = Array.from({ length: live.count }, (_, i) => i).filter((i) => !live.deleted[i]).length;
    // Delete contacts until exactly 1,255 live ones remain.
    for (let i = 0, excess = total - 1255; excess > 0; i++) {
      if (live.deleted[i]) continue;
      const r = await fetch(`${sim.url}/api/v2/contacts.json?uuid=${live.uuid(i)}`, { method: 'DELETE', headers: { Authorization: `Token ${TOKEN}` } });
      expect(r.status).toBe(204);
      excess--;
    }
    sim.clearRequests();
    let url: string | null = '/api/v2/contacts.json';
    const sizes: number[] = [];
    while (url) {
      const page = await get(sim, url.replace(sim.url, ''));
      sizes.push(page.body.results.length);
      url = page.body.next;
    }
    expect(sizes).toEqual([250, 250, 250, 250, 250, 5]);
    expect(sim.requests()).toHaveLength(6);
  });

  it('flips order with reverse, answers [] for garbage dates, and uses the documented error shapes', async () => {
    sim = await startTestSimulator({ contacts: 20 });
    const forward = (await get(sim, '/api/v2/contacts.json')).body.results.map((c: { uuid: string }) => c.uuid);
    const backward = (await get(sim, '/api/v2/contacts.json?reverse=true')).body.results.map((c: { uuid: string }) => c.uuid);
    expect(backward).toEqual([...forward].reverse());
    expect((await get(sim, '/api/v2/contacts.json?after=garbage')).body).toEqual({ next: null, previous: null, results: [] });
    expect(await get(sim, '/api/v2/runs.json?flow=not-a-uuid')).toEqual({ status: 400, body: { detail: 'Value for flow must be a valid UUID' } });
    expect(await get(sim, '/api/v2/contacts.json?cursor=xyz')).toEqual({ status: 404, body: { detail: 'Invalid cursor' } });
    const bad = await fetch(`${sim.url}/api/v2/workspace.json`, { headers: { Authorization: 'Token nope' } });
    expect([bad.status, await bad.json()]).toEqual([403, { detail: 'Invalid token' }]);
    const post = (body: unknown, path = 'flow_starts') =>
      fetch(`${sim.url}/api/v2/${path}.json`, { method: 'POST', headers: { Authorization: `Token ${TOKEN}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => [r.status, await r.json()]);
    expect(await post({})).toEqual([400, { flow: ['This field is required.'] }]);
    const flow = (await get(sim, '/api/v2/flows.json')).body.results[0].uuid;
    expect(await post({ flow })).toEqual([400, { non_field_errors: ['Must specify at least one group, contact or URN'] }]);
    expect(await post({ fields: { nope: '1' } }, 'contacts')).toEqual([400, { fields: ['Invalid contact field key: nope'] }]);
    const page = await fetch(`${sim.url}/api/v2/contacts`, { headers: { Authorization: `Token ${TOKEN}` } });
    expect(await page.json()).toEqual([]);
    const response = await fetch(`${sim.url}/api/v2/workspace.json`, { headers: { Authorization: `Token ${TOKEN}` } });
    expect(response.headers.get('date')).toBe('Mon, 01 Jul 2024 09:00:00 GMT');
    expect(response.headers.get('x-temba-workspace')).toBe(sim.workspaces[0]!.uuid);
  });
});
