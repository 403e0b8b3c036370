import { redis } from '../../db/redis.js';
import { markRegistrationsApplied } from '../../db/registrations.js';
import { orgDb } from '../../tenancy/orgDb.js';
import { loadConfig } from '../config.js';
import { changeEvent, EVENT_COLUMNS, optoutEvent, registrationEvent, type MetricEvent } from './events.js';
import { computeMetrics } from './generator.js';
import { metricKeys, UNIQUE_OPERATORS } from './keys.js';
import { tryWithMetricsLock } from './lock.js';
import { parseMetricName } from './names.js';
import { OptoutRecord } from './optoutRecord.js';
import { snapshotsFromCache, type Snapshot } from './operatorSnapshot.js';

/** Events applied under one hold of the org lock (decision 9). */
export const BATCH_LIMIT = 500;

/** A value to send to the metric sinks: name, value, and the event time in epoch milliseconds. */
export type EmittedPoint = [name: string, value: number, time: number];

// Increments every counter, then adds each operator to the set and counts it only when new.
// KEYS: operators set, unique counter, counters…  ARGV: n, increments…, operators…
const APPLY_SCRIPT = `
local n = tonumber(ARGV[1])
local totals = {}
for i = 1, n do totals[i] = redis.call('INCRBY', KEYS[i + 2], ARGV[i + 1]) end
local fresh = {}
for j = n + 2, #ARGV do
  if redis.call('SADD', KEYS[1], ARGV[j]) == 1 then fresh[#fresh + 1] = redis.call('INCR', KEYS[2]) else fresh[#fresh + 1] = 0 end
end
return {totals, fresh}`;

/**
 * Seeds the counters this batch touches that Redis does not hold yet, from the rows already marked
 * applied (so the batch's own rows are not in the seed) — spec §8.5 step 4. Opt-out totals are
 * seeded from the opt-out system of record; when that is external its count already holds this
 * batch's notifications, so those counters are returned to be left out of the batch's increments.
 */
async function seedMissing(orgId: number, names: string[], withOperators: boolean): Promise<Set<string>> {
  const client = redis();
  const record = new OptoutRecord(orgId);
  const external = new Set<string>();
  const exists = await Promise.all(names.map((name) => client.exists(metricKeys.counter(orgId, name))));
  const missing = names.filter((_, i) => !exists[i]);
  if (missing.length) {
    const metrics = missing.map(parseMetricName).filter((m) => m !== null);
    const values = await computeMetrics(orgId, metrics, { applied: true }, record);
    await client.mset(...missing.flatMap((name) => [metricKeys.counter(orgId, name), values.get(name) ?? 0]));
    for (const metric of metrics) if (metric.family.startsWith('optout.') && metric.aggregation === 'last' && (await record.list())) external.add(metric.name);
  }
  if (withOperators) {
    const [setExists, counterExists] = await Promise.all([client.exists(metricKeys.operators(orgId)), client.exists(metricKeys.counter(orgId, UNIQUE_OPERATORS))]);
    if (!setExists || !counterExists) await seedOperators(orgId);
  }
  return external;
}

/**
 * Rebuilds the operator set and the unique-operator counter from applied registrations.
 * @param orgId the org.
 * @returns the number of operators.
 */
export async function seedOperators(orgId: number): Promise<number> {
  const groups = await orgDb(orgId).registration.groupBy({
    by: ['operatorId'],
    where: { metricsAppliedAt: { not: null }, AND: [{ operatorId: { not: null } }, { operatorId: { not: '' } }] },
  });
  const operators = groups.map((g) => g.operatorId!);
  const client = redis();
  const pipeline = client.multi().del(metricKeys.operators(orgId));
  for (let i = 0; i < operators.length; i += 1000) pipeline.sadd(metricKeys.operators(orgId), ...operators.slice(i, i + 1000));
  pipeline.set(metricKeys.counter(orgId, UNIQUE_OPERATORS), operators.length);
  await pipeline.exec();
  return operators.length;
}

/** A batch of pending events, oldest first, with what the registrations among them are counted with. */
interface PendingBatch {
  events: MetricEvent[];
  /** Registration id → the operator snapshot its event used, stored with its mark. */
  snapshots: Map<string, Snapshot>;
  /** Pending registrations left out: their operator is neither snapshotted nor cached yet. */
  waiting: string[];
  /** Whether the read was full (more may wait behind it). */
  full: boolean;
}

async function pendingBatch(orgId: number, limit = BATCH_LIMIT): Promise<PendingBatch> {
  const scoped = orgDb(orgId);
  const config = await loadConfig(orgId);
  const rows = await scoped.registration.findMany({
    where: { metricsAppliedAt: null },
    orderBy: { createdAt: 'asc' },
    take: limit,
    select: { ...EVENT_COLUMNS, operatorCheckedAt: true, source: { select: { slug: true } } },
  });
  const snapshots = await snapshotsFromCache(orgId, rows);
  const changes = rows.length < limit
    ? await scoped.registrationChange.findMany({ where: { metricsAppliedAt: null }, orderBy: { createdAt: 'asc' }, take: limit - rows.length })
    : [];
  const left = limit - rows.length - changes.length;
  const optouts = left > 0 ? await scoped.optoutEvent.findMany({ where: { metricsAppliedAt: null }, orderBy: { receivedAt: 'asc' }, take: left }) : [];
  const events = [
    ...rows.filter((r) => snapshots.has(r.id)).map((r) => registrationEvent({ ...r, ...snapshots.get(r.id)! }, r.source.slug, config)),
    ...changes.map(changeEvent),
    ...optouts.map((o) => optoutEvent(o, config)),
  ].sort((a, b) => a.time.getTime() - b.time.getTime());
  return { events, snapshots, waiting: rows.filter((r) => !snapshots.has(r.id)).map((r) => r.id), full: rows.length + changes.length + optouts.length === limit };
}

/** Whether events wait besides the registrations left out for a look-up (no busy loop on those). */
async function morePending(orgId: number, waiting: string[]): Promise<boolean> {
  const scoped = orgDb(orgId);
  const pending = { metricsAppliedAt: null };
  const select = { id: true };
  const found = await Promise.all([
    scoped.registration.findFirst({ where: { ...pending, id: { notIn: waiting } }, select }),
    scoped.registrationChange.findFirst({ where: pending, select }),
    scoped.optoutEvent.findFirst({ where: pending, select }),
  ]);
  return found.some(Boolean);
}

/**
 * Applies up to BATCH_LIMIT pending events of an org to the live counters, exactly once each
 * (spec §8.5 steps 3–5): under the org lock, seed missing counters, then in one transaction mark the
 * rows applied and run one atomic Redis script; the marker, not the cache, decides what counted.
 * @param orgId the org.
 * @returns the events applied and the values to emit (sums as 1, totals as the value Redis returned).
 */
export async function applyPendingMetrics(orgId: number, waitMs = 10_000): Promise<{ locked: boolean; applied: MetricEvent[]; points: EmittedPoint[]; more: boolean }> {
  const result = await tryWithMetricsLock(orgId, async () => {
    const { waiting, full, ...batch } = await applyBatch(orgId);
    // A full batch that made progress may have more behind it. Checked under the lock: an event
    // whose job found the lock busy was committed before this.
    return { ...batch, more: (full && batch.applied.length > 0) || (await morePending(orgId, waiting)) };
  }, waitMs);
  return result.locked ? { locked: true, ...result.value } : { locked: false, applied: [], points: [], more: false };
}

async function applyBatch(orgId: number): Promise<{ applied: MetricEvent[]; points: EmittedPoint[]; waiting: string[]; full: boolean }> {
  const { events, snapshots, waiting, full } = await pendingBatch(orgId);
  if (!events.length) return { applied: [], points: [], waiting, full };
  const names = [...new Set(events.flatMap((e) => e.names))];
  const seededExternally = await seedMissing(orgId, names, events.some((e) => e.operatorId));

  return orgDb(orgId).$transaction(async (tx) => {
    const now = new Date();
    const idsOf = (kind: MetricEvent['kind']) => events.filter((e) => e.kind === kind).map((e) => e.rowId);
    const mark = { where: { metricsAppliedAt: null }, data: { metricsAppliedAt: now }, select: { id: true } };
    const [regs, changes, optouts] = await Promise.all([
      markRegistrationsApplied(tx, orgId, idsOf('registration').map((id) => ({ id, ...snapshots.get(id)! })), now),
      idsOf('change').length ? tx.registrationChange.updateManyAndReturn({ ...mark, where: { ...mark.where, id: { in: idsOf('change') } } }) : [],
      idsOf('optout').length ? tx.optoutEvent.updateManyAndReturn({ ...mark, where: { ...mark.where, id: { in: idsOf('optout') } } }) : [],
    ]);
    const marked = new Set([...regs, ...changes.map((r) => r.id), ...optouts.map((r) => r.id)]);
    const applied = events.filter((e) => marked.has(e.rowId));
    if (!applied.length) return { applied, points: [], waiting, full };

    const increments = new Map<string, number>();
    for (const event of applied) for (const name of event.names) increments.set(name, (increments.get(name) ?? 0) + 1);
    // Still read back (INCRBY 0), for the values emitted.
    for (const name of seededExternally) increments.set(name, 0);
    const keys = [...increments.keys()];
    const operators = applied.filter((e) => e.operatorId).map((e) => e.operatorId!);
    const [totals, fresh] = (await redis().eval(
      APPLY_SCRIPT,
      keys.length + 2,
      metricKeys.operators(orgId), metricKeys.counter(orgId, UNIQUE_OPERATORS), ...keys.map((k) => metricKeys.counter(orgId, k)),
      keys.length, ...keys.map((k) => increments.get(k)!), ...operators,
    )) as [number[], number[]];
    return { applied, points: emittedPoints(applied, keys, totals, fresh), waiting, full };
  }, { timeout: 15_000 });
}

/**
 * Works out each event's emitted values: a sum emits 1; a total emits the running value it reached,
 * recovered from the batch's final value (events are applied in time order).
 */
function emittedPoints(applied: MetricEvent[], keys: string[], totals: number[], fresh: number[]): EmittedPoint[] {
  const final = new Map(keys.map((k, i) => [k, totals[i]!]));
  const remaining = new Map<string, number>();
  for (const event of applied) for (const name of event.names) remaining.set(name, (remaining.get(name) ?? 0) + 1);
  const points: EmittedPoint[] = [];
  let operatorIndex = 0;
  for (const event of applied) {
    const time = event.time.getTime();
    for (const name of event.names) {
      const left = remaining.get(name)!;
      remaining.set(name, left - 1);
      points.push([name, name.endsWith('.total.last') ? final.get(name)! - left + 1 : 1, time]);
    }
    if (event.operatorId) {
      if (fresh[operatorIndex]) points.push([UNIQUE_OPERATORS, 1, time]);
      operatorIndex++;
    }
  }
  return points;
}

/**
 * Reads live counter values from Redis.
 * @param orgId the org.
 * @param names metric names.
 * @returns name → value (0 when the counter does not exist yet).
 */
export async function readCounters(orgId: number, names: string[]): Promise<Record<string, number>> {
  if (!names.length) return {};
  const values = await redis().mget(...names.map((n) => metricKeys.counter(orgId, n)));
  return Object.fromEntries(names.map((n, i) => [n, Number(values[i] ?? 0)]));
}
