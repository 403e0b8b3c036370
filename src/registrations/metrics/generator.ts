import type { Prisma } from '../../generated/prisma/client.js';
import { orgDb } from '../../tenancy/orgDb.js';
import { CHANGE_METRICS, type MetricDescriptor } from './names.js';
import { externalOptoutValue, OptoutRecord } from './optoutRecord.js';

/**
 * Which rows a value counts: those already applied to the live counters (seeding, reconciliation),
 * or those whose time falls in a window: (start, end] for sums, ≤ end for totals (recomputation).
 */
export type CountScope = { applied: true } | { applied?: false; start: Date | null; end: Date };

function timeFilter(scope: CountScope, aggregation: 'sum' | 'last') {
  if (scope.applied) return null;
  return aggregation === 'sum' && scope.start ? { gt: scope.start, lte: scope.end } : { lte: scope.end };
}

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
  const created = time ? { createdAt: time } : {};

  if (metric.family === 'registrations.created') return scoped.registration.count({ where: { ...applied, ...created } });
  if (metric.family === 'registrations.source') {
    return scoped.registration.count({ where: { ...applied, ...created, source: { slug: metric.dimension! } } });
  }
  const column = REG_COLUMN[metric.family];
  if (column) return scoped.registration.count({ where: { ...applied, ...created, [column]: metric.dimension } });
  if (metric.family === 'registrations.unique_operators') {
    // Operators whose first-ever registration falls in the window (decision 4).
    const groups = await scoped.registration.groupBy({
      by: ['operatorId'],
      where: { ...applied, AND: [{ operatorId: { not: null } }, { operatorId: { not: '' } }] },
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
  const received = time ? { receivedAt: time } : {};
  const attributed = { ...applied, ...received, registrationId: { not: null } } satisfies Prisma.OptoutEventWhereInput;
  if (metric.family === 'optout.reason') return scoped.optoutEvent.count({ where: { ...attributed, reasonBucket: metric.dimension! } });
  if (metric.family === 'optout.source') return scoped.optoutEvent.count({ where: { ...attributed, sourceShort: metric.dimension! } });
  const attributedColumn = metric.family === 'optout.receiver_type' ? 'attributedReceiver' : 'attributedMsgType';
  if (metric.aggregation === 'sum') return scoped.optoutEvent.count({ where: { ...attributed, [attributedColumn]: metric.dimension } });
  // Totals count registrations linked to an opted-out identity (spec §8.4), not notifications.
  const optedOut = await scoped.optoutEvent.findMany({ where: { ...applied, ...received }, distinct: ['identityId'], select: { identityId: true } });
  const ids = optedOut.map((o) => o.identityId);
  if (!ids.length) return 0;
  const registrationColumn = metric.family === 'optout.receiver_type' ? 'msgReceiver' : 'msgType';
  return scoped.registration.count({
    where: { [registrationColumn]: metric.dimension, ...(time ? { createdAt: { lte: scope.applied ? undefined : (scope as { end: Date }).end } } : {}), OR: [{ motherId: { in: ids } }, { receiverId: { in: ids } }] },
  });
}
