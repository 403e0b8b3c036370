import { randomUUID } from 'node:crypto';
import { redis } from '../../db/redis.js';
import { metricKeys } from './keys.js';

const LOCK_TTL_MS = 15_000;
const WAIT_STEP_MS = 15;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

/** The lock could not be taken in time; the job is retried later. */
export class LockBusyError extends Error {
  constructor(orgId: number) {
    super(`metrics lock of org ${orgId} is busy`);
  }
}

/**
 * Runs fn while holding the org's metrics lock (SET NX PX, released with compare-and-delete),
 * so that counter mutations, seeding and reconciliation of one org never interleave (spec §8.5 step 3).
 * @param orgId the org.
 * @param fn the work; keep it well under the lock's 15 s lifetime.
 * @param waitMs how long to wait for the lock before giving up.
 * @returns what fn returns.
 * @throws LockBusyError when the lock stays taken.
 */
export async function withMetricsLock<T>(orgId: number, fn: () => Promise<T>, waitMs = 10_000): Promise<T> {
  const result = await tryWithMetricsLock(orgId, fn, waitMs);
  if (!result.locked) throw new LockBusyError(orgId);
  return result.value;
}

/**
 * Like withMetricsLock, but reports a busy lock instead of throwing (waitMs 0 = a single attempt).
 * While fn runs the lock is renewed every third of its lifetime, so a long reconciliation or seeding
 * of a big org keeps it; only a process that stops (crash, stall) lets it lapse.
 * @param orgId the org.
 * @param fn the work.
 * @param waitMs how long to wait for the lock.
 * @param ttlMs the lock's lifetime without renewal.
 * @returns the work's value, or locked false.
 */
export async function tryWithMetricsLock<T>(orgId: number, fn: () => Promise<T>, waitMs = 0, ttlMs = LOCK_TTL_MS): Promise<{ locked: true; value: T } | { locked: false }> {
  const key = metricKeys.lock(orgId);
  const token = randomUUID();
  const deadline = Date.now() + waitMs;
  while ((await redis().set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') {
    if (Date.now() >= deadline) return { locked: false };
    await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS + Math.random() * WAIT_STEP_MS));
  }
  // A failed renewal is retried at the next tick; the lock still has up to two thirds of its life.
  const renewal = setInterval(() => void redis().eval(RENEW, 1, key, token, ttlMs).catch(() => undefined), Math.floor(ttlMs / 3));
  try {
    return { locked: true, value: await fn() };
  } finally {
    clearInterval(renewal);
    await redis().eval(RELEASE, 1, key, token);
  }
}
