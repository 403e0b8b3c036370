/**
 * Measuring for benchmarks: percentiles of repeated timings, and a log of the SQL statements this
 * process sends (Prisma's pg adapter and the plain pg pool both go through pg.Client#query).
 */
import pg from 'pg';

/** Latency figures in milliseconds. */
export interface Timings {
  n: number;
  p50: number;
  p95: number;
  mean: number;
}

/**
 * The nearest-rank percentile of sorted values.
 * @param sorted ascending values.
 * @param p the percentile (0–100).
 * @returns the value.
 */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Times `work` `n` times in a row (after `warmup` untimed runs), stopping early once `budgetMs`
 * is spent (after at least `min` timed runs, 5 by default).
 * @param work what to time.
 * @param options runs, warm-up runs, time budget and the fewest runs.
 * @returns the figures.
 */
export async function timeRepeated(work: () => Promise<unknown>, options: { n: number; warmup?: number; budgetMs?: number; min?: number }): Promise<Timings> {
  for (let i = 0; i < (options.warmup ?? 5); i++) await work();
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < options.n; i++) {
    const t0 = performance.now();
    await work();
    times.push(performance.now() - t0);
    if (options.budgetMs && times.length >= (options.min ?? 5) && performance.now() - started > options.budgetMs) break;
  }
  times.sort((a, b) => a - b);
  return { n: times.length, p50: percentile(times, 50), p95: percentile(times, 95), mean: times.reduce((a, b) => a + b, 0) / times.length };
}

/** A statement sent while the log was on. */
export interface LoggedQuery {
  text: string;
  values: unknown[];
  ms: number;
}

/**
 * Records every SQL statement this process sends while `work` runs, with its duration.
 * @param work the work.
 * @returns the statements, in the order sent.
 */
export async function logQueries(work: () => Promise<unknown>): Promise<LoggedQuery[]> {
  const original = pg.Client.prototype.query;
  const log: LoggedQuery[] = [];
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const [config, values] = args as [string | { text: string; values?: unknown[] }, unknown];
    const entry: LoggedQuery = {
      text: typeof config === 'string' ? config : config.text,
      values: (Array.isArray(values) ? values : typeof config === 'object' ? config.values : undefined) ?? [],
      ms: 0,
    };
    log.push(entry);
    const t0 = performance.now();
    const done = () => (entry.ms = performance.now() - t0);
    // pg.Pool#query passes a callback; Prisma's adapter awaits the returned promise.
    const last = args.at(-1);
    if (typeof last === 'function') args[args.length - 1] = (...results: unknown[]) => (done(), (last as (...r: unknown[]) => unknown)(...results));
    const result = (original as (...a: unknown[]) => unknown).apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(done, done);
    }
    return result;
  } as typeof original;
  try {
    await work();
  } finally {
    pg.Client.prototype.query = original;
  }
  return log;
}

/** Formats milliseconds for a table cell. */
export const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : '–');
