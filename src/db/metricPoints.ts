import { pgPool } from './pool.js';

/** One live bucket to write: sums add up, totals keep the highest value seen. */
export interface LivePoint {
  name: string;
  bucketStart: Date;
  value: number;
}

// Totals are the `.total.last` names (as in the sink). A bucket owned by a recompute (origin
// 'recompute') is left alone, and a total never goes down: both are the DO UPDATE's WHERE.
const UPSERT_SQL = `
INSERT INTO metric_points (org_id, name, bucket_start, bucket_seconds, value, origin, computed_at, updated_at)
SELECT $1, t.name, t.bucket_start, $2, t.value, 'live', now(), now()
FROM unnest($3::text[], $4::timestamptz[], $5::float8[]) AS t(name, bucket_start, value)
ON CONFLICT (org_id, name, bucket_start, bucket_seconds) DO UPDATE SET
  value = CASE WHEN metric_points.name LIKE '%.total.last' THEN EXCLUDED.value ELSE metric_points.value + EXCLUDED.value END,
  computed_at = now(), updated_at = now()
WHERE metric_points.origin = 'live' AND (metric_points.name NOT LIKE '%.total.last' OR metric_points.value < EXCLUDED.value)`;

/**
 * Writes an org's live metric points in one statement (the local sink), each (name, bucket) once.
 * @param orgId the org.
 * @param bucketSeconds the bucket width.
 * @param points distinct (name, bucketStart) points.
 */
export async function upsertLivePoints(orgId: number, bucketSeconds: number, points: LivePoint[]): Promise<void> {
  if (!points.length) return;
  await pgPool().query(UPSERT_SQL, [orgId, bucketSeconds, points.map((p) => p.name), points.map((p) => p.bucketStart), points.map((p) => p.value)]);
}

const RECOMPUTED_SQL = `
INSERT INTO metric_points (org_id, name, bucket_start, bucket_seconds, value, origin, computed_at, updated_at)
SELECT $1, t.name, $3, $2, t.value, 'recompute', now(), now()
FROM unnest($4::text[], $5::float8[]) AS t(name, value)
ON CONFLICT (org_id, name, bucket_start, bucket_seconds) DO UPDATE SET
  value = EXCLUDED.value, origin = 'recompute', computed_at = now(), updated_at = now()`;

/**
 * Writes a recompute's values of one bucket in one statement; they own the bucket from then on
 * (origin 'recompute': live points leave it alone).
 * @param orgId the org.
 * @param bucketSeconds the bucket width.
 * @param bucketStart the bucket start.
 * @param values metric name and value pairs.
 */
export async function upsertRecomputedPoints(orgId: number, bucketSeconds: number, bucketStart: Date, values: [name: string, value: number][]): Promise<void> {
  if (!values.length) return;
  await pgPool().query(RECOMPUTED_SQL, [orgId, bucketSeconds, bucketStart, values.map(([name]) => name), values.map(([, value]) => value)]);
}
