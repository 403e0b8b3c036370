import { z } from 'zod';
import { hash, Stream } from './random.js';

/** Kinds of injected faults (spec §10.7), plus forced throttling (spec §10.4). */
export const FAULT_KINDS = ['500', '502', '503', '504', 'slow', 'hang', 'reset', 'truncate', 'applied500', 'appliedTimeout', 'emptyNext', 'foreignNext', 'throttle'] as const;

/** One fault rule; a request matching path/method/workspace/scope fires it "next N" times or with a probability. */
export const FaultRuleSchema = z.object({
  kind: z.enum(FAULT_KINDS),
  /** Substring of the path, e.g. "contacts" or "/api/v2/runs.json". */
  path: z.string().optional(),
  method: z.string().optional(),
  workspace: z.string().optional(),
  scope: z.string().optional(),
  /** Fire for the next N matching requests. */
  count: z.number().int().positive().optional(),
  /** Fire with this probability (deterministic under the seed). */
  probability: z.number().min(0).max(1).optional(),
  /** slow: fixed latency in ms, or a p50/p99 pair. */
  latencyMs: z.number().nonnegative().optional(),
  p50Ms: z.number().nonnegative().optional(),
  p99Ms: z.number().nonnegative().optional(),
  /** throttle: Retry-After seconds, or null to omit the header. */
  retryAfter: z.number().int().nonnegative().nullable().optional(),
});

export type FaultRule = z.infer<typeof FaultRuleSchema>;

/** What a request is, for rule matching. */
export interface FaultTarget {
  path: string;
  method: string;
  workspace: string;
  scope: string;
}

/**
 * The fault rules in force and their deterministic firing.
 */
export class FaultInjector {
  private rules: FaultRule[] = [];
  private draws = 0;

  /** @param seed simulator seed, so probabilistic faults repeat run to run. */
  constructor(private seed: number) {}

  /** Replaces every rule. */
  set(rules: FaultRule[]): void {
    this.rules = rules.map((rule) => ({ ...rule }));
  }

  /** Adds one rule. */
  add(rule: FaultRule): void {
    this.rules.push({ ...rule });
  }

  /** Current rules (with remaining counts). */
  list(): FaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  /** Clears the rules and restarts the probability stream. */
  reset(seed = this.seed): void {
    this.seed = seed;
    this.rules = [];
    this.draws = 0;
  }

  /**
   * Finds the first rule that fires for a request, consuming a "next N" count.
   * @returns the rule, or null.
   */
  fire(target: FaultTarget): FaultRule | null {
    for (let k = 0; k < this.rules.length; k++) {
      const rule = this.rules[k]!;
      if (rule.path && !target.path.includes(rule.path)) continue;
      if (rule.method && rule.method.toUpperCase() !== target.method) continue;
      if (rule.workspace && rule.workspace !== target.workspace) continue;
      if (rule.scope && rule.scope !== target.scope) continue;
      if (rule.count !== undefined) {
        rule.count--;
        if (rule.count <= 0) this.rules.splice(k, 1);
        return rule;
      }
      const p = rule.probability ?? 1;
      if (hash(this.seed, Stream.fault, this.draws++) / 4294967296 < p) return rule;
    }
    return null;
  }

  /**
   * Latency of a "slow" rule: fixed, or drawn from a log-normal with the given p50/p99.
   * @returns milliseconds.
   */
  latency(rule: FaultRule): number {
    if (rule.latencyMs !== undefined) return rule.latencyMs;
    const p50 = rule.p50Ms ?? 200;
    const p99 = rule.p99Ms ?? p50 * 10;
    const u1 = (hash(this.seed, Stream.fault, this.draws++, 1) + 1) / 4294967297;
    const u2 = hash(this.seed, Stream.fault, this.draws++, 2) / 4294967296;
    const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return p50 * Math.exp((normal * Math.log(p99 / p50)) / 2.326);
  }
}

/**
 * Parses the CLI fault list: comma-separated `kind[@path][:N|:P%][/ms]`, e.g. `500@runs:10%,slow@contacts/300`.
 * @returns the rules.
 * @throws Error with a one-line message for a bad entry.
 */
export function parseFaultList(text: string): FaultRule[] {
  return text
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const match = /^([A-Za-z0-9]+)(?:@([^:/]+))?(?::(\d+)(%)?)?(?:\/(\d+))?$/.exec(part.trim());
      if (!match || !(FAULT_KINDS as readonly string[]).includes(match[1]!)) {
        throw new Error(`invalid fault "${part}": use kind[@path][:N|:P%][/ms] with kind one of ${FAULT_KINDS.join(', ')}`);
      }
      const [, kind, path, amount, percent, ms] = match;
      return FaultRuleSchema.parse({
        kind,
        ...(path ? { path } : {}),
        ...(amount && percent ? { probability: Number(amount) / 100 } : amount ? { count: Number(amount) } : {}),
        ...(ms ? { latencyMs: Number(ms) } : {}),
      });
    });
}
