import { orgDb } from '../../tenancy/orgDb.js';
import { adaptersFor } from '../adapters/index.js';
import { loadConfig } from '../config.js';
import { reasonBucket, shortSource } from '../optoutDimensions.js';
import type { MetricDescriptor } from './names.js';

/** An opt-out of an external system of record, reduced to what its metrics read. */
interface RecordedOptout {
  identity: string;
  /** Reason bucket (spec §3.6). */
  reason: string;
  /** Short source. */
  source: string;
  /** When it was recorded (null when the store did not say). */
  at: Date | null;
}

/** The registrations an opt-out can be attributed to, with the columns its metrics read. */
type Candidate = { motherId: string; receiverId: string | null; msgReceiver: string | null; msgType: string | null; createdAt: Date };

/**
 * An org's opt-out system of record (spec §8.4, §10.1). With the HTTP Identity Store it is the
 * store's opt-out list, read once per record, so a seeding, a reconciliation or a recompute asks
 * the store once however many metrics it counts. With the local store it is the OptoutEvent table,
 * which the metrics count in Postgres (list() is then null).
 */
export class OptoutRecord {
  private remote?: Promise<RecordedOptout[] | null>;

  constructor(private readonly orgId: number) {}

  /**
   * The external list of opt-outs, or null when the org's Identity Store is local.
   * @returns the opt-outs.
   * @throws AdapterError when the store does not answer (the caller skips or retries).
   */
  list(): Promise<RecordedOptout[] | null> {
    this.remote ??= (async () => {
      const config = await loadConfig(this.orgId);
      if (config.adapters.identityStore.kind !== 'http') return null;
      const optouts = await adaptersFor(this.orgId, config).identityStore.searchOptouts({});
      return optouts.map((o) => ({ identity: o.identity, reason: reasonBucket(o.reason, config), source: shortSource(o.request_source), at: o.created_at ? new Date(o.created_at) : null }));
    })();
    this.remote.catch(() => (this.remote = undefined));
    return this.remote;
  }
}

/** The registration an opt-out is attributed to (spec §8.4): the newest by then as mother, else as receiver. */
function attribution(candidates: Candidate[], optout: RecordedOptout): Candidate | undefined {
  const before = candidates.filter((c) => !optout.at || c.createdAt <= optout.at);
  const newest = (list: Candidate[]) => list.reduce<Candidate | undefined>((a, c) => (!a || c.createdAt > a.createdAt ? c : a), undefined);
  return newest(before.filter((c) => c.motherId === optout.identity)) ?? newest(before.filter((c) => c.receiverId === optout.identity));
}

/**
 * An opt-out metric counted from an external list (spec §8.4, §8.6). Sums count the attributed
 * opt-outs recorded in (start, end] by their dimension; totals count those recorded by `end` for
 * reasons and sources, and for receiver and message types the registrations (made by `end`) whose
 * mother or receiver has opted out.
 * @param orgId the org.
 * @param metric an opt-out metric.
 * @param optouts the external list.
 * @param window start (sums) and end; null for every opt-out (a live total).
 * @returns the value.
 */
export async function externalOptoutValue(orgId: number, metric: MetricDescriptor, optouts: RecordedOptout[], window: { start: Date | null; end: Date } | null): Promise<number> {
  return (await externalOptoutCounts(orgId, metric, optouts, window)).get(metric.dimension!) ?? 0;
}

/**
 * The values of every metric of an opt-out family and aggregation, by dimension, counted from an
 * external list with one registration query (as externalOptoutValue defines them).
 * @param orgId the org.
 * @param family the family and aggregation (a metric of it).
 * @param optouts the external list.
 * @param window start (sums) and end; null for every opt-out (a live total).
 * @returns dimension value → value.
 */
export async function externalOptoutCounts(orgId: number, family: Pick<MetricDescriptor, 'family' | 'aggregation'>, optouts: RecordedOptout[], window: { start: Date | null; end: Date } | null): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const add = (value: string | null) => value !== null && counts.set(value, (counts.get(value) ?? 0) + 1);
  const sum = family.aggregation === 'sum';
  const counted = optouts.filter((o) => !window || (o.at ? o.at <= window.end && (!sum || !window.start || o.at > window.start) : !sum));
  const ids = [...new Set(counted.map((o) => o.identity))];
  if (!ids.length) return counts;
  const candidates = await orgDb(orgId).registration.findMany({
    where: { OR: [{ motherId: { in: ids } }, { receiverId: { in: ids } }], ...(window ? { createdAt: { lte: window.end } } : {}) },
    select: { motherId: true, receiverId: true, msgReceiver: true, msgType: true, createdAt: true },
  });
  const column = family.family === 'optout.receiver_type' ? 'msgReceiver' : 'msgType';
  if (!sum && (family.family === 'optout.receiver_type' || family.family === 'optout.msg_type')) {
    const optedOut = new Set(ids);
    for (const c of candidates) if (optedOut.has(c.motherId) || (c.receiverId !== null && optedOut.has(c.receiverId))) add(c[column]);
    return counts;
  }
  const byIdentity = new Map<string, Candidate[]>();
  for (const c of candidates) for (const id of new Set([c.motherId, c.receiverId])) if (id) byIdentity.set(id, [...(byIdentity.get(id) ?? []), c]);
  for (const o of counted) {
    const attributed = attribution(byIdentity.get(o.identity) ?? [], o);
    if (!attributed) continue;
    add(family.family === 'optout.reason' ? o.reason : family.family === 'optout.source' ? o.source : attributed[column]);
  }
  return counts;
}
