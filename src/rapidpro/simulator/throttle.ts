/** A request rate: `limit` requests per `windowMs` sliding window. */
export interface Rate {
  limit: number;
  windowMs: number;
}

/** The throttle scopes of spec §3. */
export type Scope = 'v2' | 'v2.contacts' | 'v2.runs' | 'v2.messages';

/**
 * Maps an endpoint to its throttle scope.
 * @param endpoint name without `.json`, e.g. "contacts".
 */
export function scopeOf(endpoint: string): Scope {
  if (endpoint === 'contacts') return 'v2.contacts';
  if (endpoint === 'runs') return 'v2.runs';
  if (endpoint === 'messages') return 'v2.messages';
  return 'v2';
}

/**
 * Parses "2500/h", "3600/hour", "5/min", "10/s" or "off".
 * @returns the rate, or null for off.
 * @throws Error for anything else.
 */
export function parseRate(text: string): Rate | null {
  if (text === 'off') return null;
  const match = /^(\d+)\/(s|sec|second|m|min|minute|h|hour|d|day)$/.exec(text.trim());
  if (!match) throw new Error(`invalid rate "${text}": use e.g. 2500/h, 5/min or off`);
  const unit = match[2]!;
  const windowMs = unit.startsWith('s') ? 1000 : unit.startsWith('m') ? 60_000 : unit.startsWith('h') ? 3_600_000 : 86_400_000;
  return { limit: Number(match[1]), windowMs };
}

/** The outcome of a throttle check. */
export type ThrottleDecision = { allowed: true; remaining: number | null } | { allowed: false; retryAfterSec: number | null };

/**
 * A sliding-window limiter per (workspace, scope) on real time, like DRF's ScopedRateThrottle;
 * rejected requests are not recorded.
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();
  /** When true, 429s carry no Retry-After (as when the window is heavily over-full). */
  omitRetryAfter = false;

  /** @param now real-time source in ms. */
  constructor(private readonly now: () => number = () => performance.now()) {}

  private window(key: string, rate: Rate): number[] {
    const list = this.hits.get(key) ?? [];
    const horizon = this.now() - rate.windowMs;
    while (list.length > 0 && list[0]! <= horizon) list.shift();
    this.hits.set(key, list);
    return list;
  }

  /**
   * Checks and records one request.
   * @returns allowed with the remaining quota, or rejected with Retry-After seconds.
   */
  check(workspace: string, scope: Scope, rate: Rate | null): ThrottleDecision {
    if (!rate) return { allowed: true, remaining: null };
    const list = this.window(`${workspace}|${scope}`, rate);
    if (list.length >= rate.limit) {
      const untilOldestLeaves = (list[0]! + rate.windowMs - this.now()) / 1000;
      const retry = Math.max(1, Math.ceil(untilOldestLeaves / Math.max(1, rate.limit - list.length + 1)));
      return { allowed: false, retryAfterSec: this.omitRetryAfter ? null : retry };
    }
    list.push(this.now());
    return { allowed: true, remaining: rate.limit - list.length };
  }

  /** Fills a scope's window so the next request is throttled ("exhaust scope X now"). */
  exhaust(workspace: string, scope: Scope, rate: Rate | null): void {
    if (!rate) return;
    const list = this.window(`${workspace}|${scope}`, rate);
    while (list.length < rate.limit) list.push(this.now());
  }

  /** Forgets every recorded request. */
  reset(): void {
    this.hits.clear();
  }
}
