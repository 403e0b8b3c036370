import type { Prisma } from '../../generated/prisma/client.js';
import { orgDb } from '../../tenancy/orgDb.js';
import { CHANGE_METRICS, type MetricDescriptor } from './names.js';
import { resolveUnsnapshotted } from './operatorSnapshot.js';
import { externalOptoutCounts, externalOptoutValue, OptoutRecord } from './optoutRecord.js';

/**
 * Which rows a value counts: those already applied to the live counters (seeding, reconciliation),
 * or those whose time falls in a window: (start, end] for sums, ≤ end for totals (recomputation).
 */
export type CountScope = { applied: true } | { applied?: false; start: Date | null; end: Date; sourceIds?: string[] };

function timeFilter(scope: CountScope, aggregation: 'sum' | 'last') {
  if (scope.applied) return null;
  return aggregation === 'sum' && scope.start ? { gt: scope.start, lte: scope.end } : { lte: scope.end };
}

/**
 * The dashboard's source filter (windows only): registrations and changes by their source, opt-outs
 * by their attributed registration's. An external opt-out record knows no sources and is not filtered.
 */
function sourceFilters(scope: CountScope) {
  const sources = !scope.applied && scope.sourceIds?.length ? { in: scope.sourceIds } : null;
  return { bySource: sources ? { sourceId: sources } : {}, byAttributedSource: sources ? { attributedSourceId: sources } : {}, key: JSON.stringify(sources) };
}

/** The snapshot columns: applied rows always have one; windows also count rows that never got one. */
const SNAPSHOT_COLUMNS = new Set(['operatorState', 'operatorRole']);

const REG_COLUMN: Record<string, 'msgType' | 'msgReceiver' | 'language' | 'operatorState' | 'operatorRole'> = {
  'registrations.msg_type': 'msgType',
  'registrations.receiver_type': 'msgReceiver',
  'registrations.language': 'language',
  'registrations.state': 'operatorState',
  'registrations.role': 'operatorRole',
};

/**
 * The value of one metric computed from Postgres (spec §8.5 step 4 and §8.6): the single
 * definition shared by counter seeding, reconciliation, recomputation and on-the-fly series.
 * Opt-out metrics come from the opt-out system of record (§8.4) — except the live sums, which count
 * the notifications received here.
 * @param orgId the org.
 * @param metric the parsed metric.
 * @param scope applied rows, or a time window.
 * @param record the org's opt-out record (pass one to read an external list once for many metrics).
 * @returns the value.
 * @throws AdapterError when an external record does not answer.
 */
export async function computeMetric(orgId: number, metric: MetricDescriptor, scope: CountScope, record = new OptoutRecord(orgId)): Promise<number> {
  const scoped = orgDb(orgId);
  const time = timeFilter(scope, metric.aggregation);
  const applied = scope.applied ? { metricsAppliedAt: { not: null } } : {};
  const { bySource, byAttributedSource } = sourceFilters(scope);
  const created = { ...(time ? { createdAt: time } : {}), ...bySource };

  if (metric.family === 'registrations.created') return scoped.registration.count({ where: { ...applied, ...created } });
  if (metric.family === 'registrations.source') {
    return scoped.registration.count({ where: { ...applied, ...created, source: { slug: metric.dimension! } } });
  }
  const column = REG_COLUMN[metric.family];
  if (column) {
    const counted = await scoped.registration.count({ where: { ...applied, ...created, [column]: metric.dimension } });
    if (scope.applied || !SNAPSHOT_COLUMNS.has(column)) return counted;
    // Rows never snapshotted count by their operator's details as the store has them now (§8.6).
    return counted + (await resolveUnsnapshotted(orgId, created)).filter((r) => r[column as 'operatorState' | 'operatorRole'] === metric.dimension).length;
  }
  if (metric.family === 'registrations.unique_operators') {
    // Operators whose first-ever registration falls in the window (decision 4).
    const groups = await scoped.registration.groupBy({
      by: ['operatorId'],
      where: { ...applied, ...bySource, AND: [{ operatorId: { not: null } }, { operatorId: { not: '' } }] },
      ...(time ? { having: { createdAt: { _min: time } } } : {}),
    });
    return groups.length;
  }
  if (metric.family.startsWith('registrations.change.')) {
    const action = CHANGE_METRICS[metric.family.slice('registrations.change.'.length)]!;
    return scoped.registrationChange.count({ where: { ...applied, ...created, action } });
  }
  if (!(scope.applied && metric.aggregation === 'sum')) {
    const external = await record.list();
    if (external) return externalOptoutValue(orgId, metric, external, scope.applied ? null : { start: scope.start, end: scope.end });
  }
  // The local record: the OptoutEvent table.
  const receivedAt = time ? { receivedAt: time } : {};
  const received = { ...receivedAt, ...byAttributedSource };
  const attributed = { ...applied, ...received, registrationId: { not: null } } satisfies Prisma.OptoutEventWhereInput;
  if (metric.family === 'optout.reason') return scoped.optoutEvent.count({ where: { ...attributed, reasonBucket: metric.dimension! } });
  if (metric.family === 'optout.source') return scoped.optoutEvent.count({ where: { ...attributed, sourceShort: metric.dimension! } });
  const attributedColumn = metric.family === 'optout.receiver_type' ? 'attributedReceiver' : 'attributedMsgType';
  if (metric.aggregation === 'sum') return scoped.optoutEvent.count({ where: { ...attributed, [attributedColumn]: metric.dimension } });
  // Totals count registrations linked to an opted-out identity (spec §8.4), not notifications.
  const optedOut = await scoped.optoutEvent.findMany({ where: { ...applied, ...receivedAt }, distinct: ['identityId'], select: { identityId: true } });
  const ids = optedOut.map((o) => o.identityId);
  if (!ids.length) return 0;
  const registrationColumn = metric.family === 'optout.receiver_type' ? 'msgReceiver' : 'msgType';
  return scoped.registration.count({
    where: { [registrationColumn]: metric.dimension, ...(time ? { createdAt: { lte: scope.applied ? undefined : (scope as { end: Date }).end } } : {}), ...bySource, OR: [{ motherId: { in: ids } }, { receiverId: { in: ids } }] },
  });
}

/** Counts by dimension value (null: the rows without one, or the one value of a family without dimensions). */
type Counts = Map<string | null, number>;

/** One grouped query: every metric whose query has the same key reads its value from the same counts. */
interface FamilyQuery {
  key: string;
  dimension: string | null;
  run: () => Promise<Counts>;
}

function tally<T>(rows: T[], key: (row: T) => string | null, count: (row: T) => number, into: Counts = new Map()): Counts {
  for (const row of rows) into.set(key(row), (into.get(key(row)) ?? 0) + count(row));
  return into;
}

const OPTOUT_COLUMN = { 'optout.reason': 'reasonBucket', 'optout.source': 'sourceShort', 'optout.receiver_type': 'attributedReceiver', 'optout.msg_type': 'attributedMsgType' } as const;

/**
 * The grouped query that answers a metric together with the other values of its family (the same
 * definitions as computeMetric), or null for a metric counted on its own (unique operators).
 */
async function familyQuery(orgId: number, metric: MetricDescriptor, scope: CountScope, record: OptoutRecord): Promise<FamilyQuery | null> {
  const scoped = orgDb(orgId);
  const time = timeFilter(scope, metric.aggregation);
  const applied = scope.applied ? { metricsAppliedAt: { not: null } } : {};
  const { bySource, byAttributedSource, key } = sourceFilters(scope);
  const created = { ...(time ? { createdAt: time } : {}), ...bySource };
  const where = { ...applied, ...created };
  const at = `${JSON.stringify(time)}|${key}`;
  if (metric.family === 'registrations.created') {
    return { key: `created|${at}`, dimension: null, run: async () => new Map([[null, await scoped.registration.count({ where })]]) };
  }
  if (metric.family === 'registrations.source') {
    return {
      key: `source|${at}`, dimension: metric.dimension, run: async () => {
        const slugs = new Map((await scoped.registrationSource.findMany({ select: { id: true, slug: true } })).map((s) => [s.id, s.slug]));
        const groups = await scoped.registration.groupBy({ by: ['sourceId'], where, _count: { _all: true } });
        return tally(groups, (g) => slugs.get(g.sourceId) ?? null, (g) => g._count._all);
      },
    };
  }
  const column = REG_COLUMN[metric.family];
  if (column) {
    return {
      key: `${column}|${at}`, dimension: metric.dimension, run: async () => {
        const groups = await scoped.registration.groupBy({ by: [column], where, _count: { _all: true } });
        const counts = tally(groups, (g) => g[column], (g) => g._count._all);
        if (scope.applied || !SNAPSHOT_COLUMNS.has(column)) return counts;
        return tally(await resolveUnsnapshotted(orgId, created), (r) => r[column as 'operatorState' | 'operatorRole'], () => 1, counts);
      },
    };
  }
  if (metric.family.startsWith('registrations.change.')) {
    const action = CHANGE_METRICS[metric.family.slice('registrations.change.'.length)]!;
    return {
      key: `change|${at}`, dimension: action, run: async () => {
        const groups = await scoped.registrationChange.groupBy({ by: ['action'], where, _count: { _all: true } });
        return tally(groups, (g) => g.action, (g) => g._count._all);
      },
    };
  }
  const optoutColumn = OPTOUT_COLUMN[metric.family as keyof typeof OPTOUT_COLUMN];
  if (!optoutColumn) return null;
  const external = scope.applied && metric.aggregation === 'sum' ? null : await record.list();
  if (external) {
    const window = scope.applied ? null : { start: scope.start, end: scope.end };
    return { key: `external|${metric.family}|${metric.aggregation}`, dimension: metric.dimension, run: () => externalOptoutCounts(orgId, metric, external, window) };
  }
  const receivedAt = time ? { receivedAt: time } : {};
  const received = { ...receivedAt, ...byAttributedSource };
  const byRegistration = metric.aggregation === 'last' && (metric.family === 'optout.receiver_type' || metric.family === 'optout.msg_type');
  if (!byRegistration) {
    return {
      key: `optout|${optoutColumn}|${at}`, dimension: metric.dimension, run: async () => {
        const groups = await scoped.optoutEvent.groupBy({ by: [optoutColumn], where: { ...applied, ...received, registrationId: { not: null } }, _count: { _all: true } });
        return tally(groups, (g) => g[optoutColumn], (g) => g._count._all);
      },
    };
  }
  // Totals count registrations linked to an opted-out identity (spec §8.4), not notifications.
  const registrationColumn = metric.family === 'optout.receiver_type' ? 'msgReceiver' : 'msgType';
  return {
    key: `optedOut|${registrationColumn}|${at}`, dimension: metric.dimension, run: async () => {
      const optedOut = await scoped.optoutEvent.findMany({ where: { ...applied, ...receivedAt }, distinct: ['identityId'], select: { identityId: true } });
      const ids = optedOut.map((o) => o.identityId);
      if (!ids.length) return new Map();
      const groups = await scoped.registration.groupBy({
        by: [registrationColumn], where: { ...created, OR: [{ motherId: { in: ids } }, { receiverId: { in: ids } }] }, _count: { _all: true },
      });
      return tally(groups, (g) => g[registrationColumn], (g) => g._count._all);
    },
  };
}

/**
 * The values of many metrics with one grouped query per family (and per time filter) instead of
 * one count per metric: what reconciliation, cold seeding and cold "current" reads use. Each value
 * is the one computeMetric gives (a test holds them equal).
 * @param orgId the org.
 * @param metrics the metrics.
 * @param scope applied rows, or a time window.
 * @param record the org's opt-out record.
 * @returns metric name → value.
 * @throws AdapterError when an external record does not answer.
 */
export async function computeMetrics(orgId: number, metrics: MetricDescriptor[], scope: CountScope, record = new OptoutRecord(orgId)): Promise<Map<string, number>> {
  const values = new Map<string, number>();
  const results = new Map<string, Counts>();
  // One at a time: a reconciliation should not take the pool from web requests.
  for (const metric of metrics) {
    const query = await familyQuery(orgId, metric, scope, record);
    if (!query) {
      values.set(metric.name, await computeMetric(orgId, metric, scope, record));
      continue;
    }
    if (!results.has(query.key)) results.set(query.key, await query.run());
    values.set(metric.name, results.get(query.key)!.get(query.dimension) ?? 0);
  }
  return values;
}
