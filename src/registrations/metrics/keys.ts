import { redisKey } from '../../db/redis.js';

/** Redis keys of the metrics of one org (spec §8.5), under REDIS_PREFIX. */
export const metricKeys = {
  /** The counter of a metric: lifetime count of a `.sum`, running total of a `.total.last`. */
  counter: (orgId: number, name: string) => redisKey('hm', orgId, 'c', name),
  /** Pattern matching every counter of an org. */
  counterPattern: (orgId: number) => redisKey('hm', orgId, 'c', '*'),
  /** The set of operators already counted by `registrations.unique_operators.sum`. */
  operators: (orgId: number) => redisKey('hm', orgId, 'operators'),
  /** The per-org lock every counter mutation holds. */
  lock: (orgId: number) => redisKey('hm', orgId, 'lock', 'metrics'),
  /** Cached identity details of an operator (1 h). */
  identity: (orgId: number, id: string) => redisKey('hm', orgId, 'identity', id),
  /** Failed operator look-ups of a registration, so a dead store does not block its metrics. */
  snapshotFailures: (orgId: number, rowId: string) => redisKey('hm', orgId, 'snapfail', rowId),
};

export const UNIQUE_OPERATORS = 'registrations.unique_operators.sum';
