import { redis } from '../../db/redis.js';
import { orgDb } from '../../tenancy/orgDb.js';
import { loadConfig } from '../config.js';
import { seedOperators } from './applier.js';
import { computeMetrics } from './generator.js';
import { metricKeys, UNIQUE_OPERATORS } from './keys.js';
import { withMetricsLock } from './lock.js';
import { buildCatalogue, parseMetricName } from './names.js';
import { OptoutRecord } from './optoutRecord.js';

/** What a reconciliation found and fixed. */
export interface ReconcileSummary {
  counters: number;
  /** name → { redis, database } for every counter that disagreed. */
  drift: Record<string, { redis: number | null; database: number }>;
}

async function existingCounterNames(orgId: number): Promise<string[]> {
  const prefix = metricKeys.counter(orgId, '');
  const names: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis().scan(cursor, 'MATCH', metricKeys.counterPattern(orgId), 'COUNT', 1000);
    names.push(...keys.map((k) => k.slice(prefix.length)));
    cursor = next;
  } while (cursor !== '0');
  return names;
}

/**
 * Computes every counter of an org from Postgres (applied rows only) and, for opt-out totals, the
 * opt-out system of record — the values the live counters must hold once the queue has drained.
 * @param orgId the org.
 * @param names the counters (defaults to the catalogue plus every counter Redis holds).
 * @returns name → value.
 */
export async function expectedCounters(orgId: number, names?: string[]): Promise<Record<string, number>> {
  const all = names ?? (await counterNames(orgId));
  const metrics = all.map(parseMetricName).filter((m) => m !== null);
  return Object.fromEntries(await computeMetrics(orgId, metrics, { applied: true }, new OptoutRecord(orgId)));
}

async function counterNames(orgId: number): Promise<string[]> {
  const sources = await orgDb(orgId).registrationSource.findMany({ select: { slug: true } });
  const catalogue = buildCatalogue(await loadConfig(orgId), sources.map((s) => s.slug)).map((e) => e.name);
  return [...new Set([...catalogue, ...(await existingCounterNames(orgId))])];
}

/**
 * Rebuilds an org's live counters from Postgres under the metrics lock (spec §8.5 step 7) and
 * reports the drift it repaired.
 * @param orgId the org.
 * @returns the summary.
 */
export async function reconcileCounters(orgId: number): Promise<ReconcileSummary> {
  const names = (await counterNames(orgId)).filter((n) => n !== UNIQUE_OPERATORS);
  return withMetricsLock(orgId, async () => {
    const expected = await expectedCounters(orgId, names);
    const current = await redis().mget(...names.map((n) => metricKeys.counter(orgId, n)));
    const drift: ReconcileSummary['drift'] = {};
    const pipeline = redis().multi();
    for (const [i, name] of names.entries()) {
      const database = expected[name] ?? 0;
      const held = current[i] === null || current[i] === undefined ? null : Number(current[i]);
      if (held !== database) drift[name] = { redis: held, database };
      pipeline.set(metricKeys.counter(orgId, name), database);
    }
    await pipeline.exec();
    const heldOperators = await redis().get(metricKeys.counter(orgId, UNIQUE_OPERATORS));
    const operators = await seedOperators(orgId);
    if (heldOperators === null || Number(heldOperators) !== operators) drift[UNIQUE_OPERATORS] = { redis: heldOperators === null ? null : Number(heldOperators), database: operators };
    return { counters: names.length + 1, drift };
  }, 60_000);
}
