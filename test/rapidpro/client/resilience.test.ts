import { afterEach, describe, expect, it } from 'vitest';
import { BadResponseError, InvalidTokenError, RapidProClient, RequestBudget, ThrottledError, UnavailableError } from '../../../src/rapidpro/client/index.js';
import type { RunningSimulator } from '../../../src/rapidpro/simulator/index.js';
import { startTestSimulator, testClient } from '../support.js';

describe('client resilience against a misbehaving server', () => {
  let sim: RunningSimulator;
  afterEach(async () => sim?.close());

  it('honours Retry-After on 429 and retries the same page', async () => {
    sim = await startTestSimulator();
    const client = testClient(sim);
    sim.forceThrottle({ count: 2, scope: 'v2.contacts', retryAfter: 7 });
    const contacts = await client.contacts().all();
    expect(contacts.length).toBeGreaterThan(0);
    expect(client.sleeps.slice(0, 2).every((ms) => ms >= 7000 && ms <= 7700)).toBe(true);
  });

  it('backs off exponentially on 429 without Retry-After, then gives up with ThrottledError', async () => {
    sim = await startTestSimulator();
    const client = testClient(sim);
    sim.forceThrottle({ count: 3, scope: 'v2', retryAfter: null });
    await client.groups().all();
    expect(client.sleeps).toEqual([5, 10, 20]);
    sim.forceThrottle({ count: 10, scope: 'v2', retryAfter: null });
    const error = await client.groups().all().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottledError);
    expect((error as ThrottledError).message).toMatch(/pauses until/);
  });

  it('throttles for real with the sliding window and recovers', async () => {
    sim = await startTestSimulator({ throttle: '3/min' });
    const client = testClient(sim, { retry: { baseMs: 1, capMs: 20, throttleBaseMs: 5, maxAttempts: 4, maxThrottles: 2 } });
    for (let k = 0; k < 3; k++) await client.workspace();
    const error = await client.workspace().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottledError);
    expect(sim.requests().filter((r) => r.status === 429)).toHaveLength(2);
    sim.setThrottle('off');
    await expect(client.workspace()).resolves.toMatchObject({ timezone: expect.any(String) });
  });

  it.each([
    ['500', { kind: '500' as const }],
    ['502', { kind: '502' as const }],
    ['timeout', { kind: 'hang' as const }],
    ['truncated body', { kind: 'truncate' as const }],
    ['reset mid-body', { kind: 'reset' as const }],
  ])('retries a GET after %s', async (_name, fault) => {
    sim = await startTestSimulator();
    const client = testClient(sim, { timeoutMs: 300 });
    sim.addFault({ ...fault, path: 'groups', count: 2 });
    const groups = await client.groups().all();
    expect(groups.length).toBeGreaterThan(3);
    expect(client.sleeps).toHaveLength(2);
  });

  it('gives a clear error when retries run out', async () => {
    sim = await startTestSimulator();
    const client = testClient(sim, { timeoutMs: 300 });
    sim.addFault({ kind: '502', path: 'groups', count: 10 });
    const error = await client.groups().all().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).toMatch(/after 4 attempt\(s\) \(last: HTTP 502\)/);
    sim.setFaults([{ kind: 'truncate', path: 'fields', count: 10 }]);
    const bad = await client.fields().all().catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(BadResponseError);
  });

  it('reports an invalid token as InvalidTokenError without retrying', async () => {
    sim = await startTestSimulator();
    const client = new RapidProClient({ baseUrl: sim.url, token: 'WRONG', budget: null });
    const error = await client.workspace().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect((error as Error).message).toMatch(/copy the token again/);
    expect(sim.requests()).toHaveLength(1);
  });

  it('paces requests with the per-org budget, shared between clients', async () => {
    sim = await startTestSimulator();
    let now = 0;
    const budget = new RequestBudget({ requests: 2, windowMs: 1000 }, () => now);
    const sleeps: number[] = [];
    const options = { baseUrl: sim.url, token: sim.workspaces[0]!.token, budget, sleep: async (ms: number) => void (sleeps.push(ms), (now += ms)) };
    const a = new RapidProClient(options);
    const b = new RapidProClient(options);
    await a.workspace();
    await b.workspace();
    await a.workspace();
    expect(sleeps).toEqual([1000]);
    await a.contacts().pages().next();
    expect(sleeps).toEqual([1000]);
  });
});
