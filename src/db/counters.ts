import type pg from 'pg';
import { inTransaction, pgPool } from './pool.js';

/**
 * Precomputed counters (issue 5 §5). Database triggers (migration "counters_starts_fetches") add a
 * delta row per changed key in the transaction that changes answers, responses, contacts or
 * memberships; this module folds deltas into the keyed tables, and rebuilds or checks an org's
 * counters against the SQL the triggers themselves use (tracpro_*_contribution_sql), so there is
 * one definition of what counts.
 */

const ANSWER_KEY = ['org_id', 'poll_run_id', 'question_id', 'region_id', 'reporter_group_id', 'local_day', 'category'];
const ANSWER_VALUES = ['answers', 'last_count', 'last_sum', 'last_squares', 'sum_count', 'sum_sum', 'sum_squares'];
const RESPONSE_KEY = ['org_id', 'poll_run_id', 'region_id', 'reporter_group_id', 'status', 'local_day'];
const RESPONSE_VALUES = ['responses'];

interface CounterTable {
  table: string;
  deltas: string;
  key: string[];
  values: string[];
  /** Builds the expected rows of an org from its source table (SQL text made by the database). */
  expectedSql: string;
}

const TABLES: CounterTable[] = [
  {
    table: 'answer_counters', deltas: 'answer_counter_deltas', key: ANSWER_KEY, values: ANSWER_VALUES,
    expectedSql: `SELECT tracpro_answer_contribution_sql('SELECT a.*, 1 AS sign FROM answers a WHERE a.org_id = ' || $1::int)`,
  },
  {
    table: 'response_counters', deltas: 'response_counter_deltas', key: RESPONSE_KEY, values: RESPONSE_VALUES,
    expectedSql: `SELECT tracpro_response_contribution_sql('SELECT r.*, 1 AS sign FROM responses r WHERE r.org_id = ' || $1::int)`,
  },
];

/** Squashing and rebuilding both rewrite keyed rows: one at a time (a session lock, taken before any snapshot). */
const REWRITE_LOCK = `hashtext('counter-rewrite')`;

async function withRewriteLock<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pgPool().connect();
  try {
    await client.query(`SELECT pg_advisory_lock(${REWRITE_LOCK})`);
    try {
      return await work(client);
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${REWRITE_LOCK})`);
    }
  } finally {
    client.release();
  }
}

const nonZero = (values: string[], prefix: string) => values.map((v) => `${prefix}${v} <> 0`).join(' OR ');

/**
 * Folds up to `limit` of the oldest delta rows of each counter table into the keyed rows, in one
 * transaction per table; keys whose counts reach zero are removed.
 * @param limit most delta rows per table per call.
 * @returns delta rows folded.
 */
export async function squashCounterDeltas(limit = 50_000): Promise<number> {
  return withRewriteLock(async (client) => {
    let folded = 0;
    for (const t of TABLES) {
      const keys = t.key.join(', ');
      folded += await inTransaction(client, 'BEGIN', async () => {
        const { rows: [result] } = await client.query<{ moved: number; zero: unknown[] | null }>(
          `WITH moved AS (
             DELETE FROM ${t.deltas} WHERE id IN (SELECT id FROM ${t.deltas} ORDER BY id LIMIT $1) RETURNING *
           ),
           upserted AS (
             INSERT INTO ${t.table} (${keys}, ${t.values.join(', ')})
             SELECT ${keys}, ${t.values.map((v) => `sum(${v})`).join(', ')} FROM moved GROUP BY ${keys}
             ON CONFLICT (${keys}) DO UPDATE SET ${t.values.map((v) => `${v} = ${t.table}.${v} + EXCLUDED.${v}`).join(', ')}
             RETURNING *
           )
           SELECT (SELECT count(*) FROM moved)::int AS moved,
                  (SELECT json_agg(json_build_array(${keys})) FROM upserted WHERE NOT (${nonZero(t.values, '')})) AS zero`,
          [limit],
        );
        const zero = (result?.zero ?? []) as unknown[][];
        if (zero.length) {
          await client.query(
            `DELETE FROM ${t.table} WHERE (${keys}) IN (SELECT ${t.key.map((k, i) => `(x->>${i})::${keyType(k)}`).join(', ')}
             FROM json_array_elements($1::json) x) AND NOT (${nonZero(t.values, '')})`,
            [JSON.stringify(zero)],
          );
        }
        return result?.moved ?? 0;
      });
    }
    return folded;
  });
}

function keyType(column: string): string {
  if (column === 'local_day') return 'date';
  if (column === 'category') return 'text';
  if (column === 'status') return '"ResponseStatus"';
  return 'int';
}

/**
 * Recomputes an org's counters from its answers and responses, in one repeatable-read snapshot:
 * changes committed after the snapshot keep their delta rows, so nothing is lost or counted twice.
 * @param orgId the org.
 * @returns keyed rows written per table.
 */
export async function rebuildCounters(orgId: number): Promise<Record<string, number>> {
  return withRewriteLock((client) =>
    inTransaction(client, 'BEGIN ISOLATION LEVEL REPEATABLE READ', async () => {
      const written: Record<string, number> = {};
      for (const t of TABLES) {
        await client.query(`DELETE FROM ${t.deltas} WHERE org_id = $1`, [orgId]);
        await client.query(`DELETE FROM ${t.table} WHERE org_id = $1`, [orgId]);
        const sql = await expectedSql(client, t, orgId);
        const inserted = await client.query(`INSERT INTO ${t.table} (${t.key.join(', ')}, ${t.values.join(', ')}) ${sql}`);
        written[t.table] = inserted.rowCount ?? 0;
      }
      return written;
    }),
  );
}

async function expectedSql(client: pg.PoolClient, t: CounterTable, orgId: number): Promise<string> {
  const { rows: [row] } = await client.query<Record<string, string>>(t.expectedSql, [orgId]);
  return Object.values(row!)[0]!;
}

/** One key whose stored count differs from a recount. */
export interface CounterMismatch {
  table: string;
  key: Record<string, unknown>;
  stored: Record<string, unknown> | null;
  expected: Record<string, unknown> | null;
}

/**
 * Compares an org's counters (keyed rows plus pending deltas) with a recount, in one snapshot.
 * @param orgId the org.
 * @param sample most mismatches returned per table.
 * @returns the number of mismatched keys and a sample of them.
 */
export async function checkCounters(orgId: number, sample = 20): Promise<{ mismatched: number; samples: CounterMismatch[] }> {
  const client = await pgPool().connect();
  try {
    return await inTransaction(client, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async () => {
      let mismatched = 0;
      const samples: CounterMismatch[] = [];
      for (const t of TABLES) {
        const keys = t.key.join(', ');
        const sums = t.values.map((v) => `sum(${v}) AS ${v}`).join(', ');
        const cols = `${keys}, ${t.values.join(', ')}`;
        const { rows } = await client.query<{ total: number; key: Record<string, unknown>; stored: Record<string, unknown> | null; expected: Record<string, unknown> | null }>(
          `WITH stored AS (
             SELECT ${keys}, ${sums} FROM (
               SELECT ${cols} FROM ${t.table} WHERE org_id = $1 UNION ALL SELECT ${cols} FROM ${t.deltas} WHERE org_id = $1
             ) s GROUP BY ${keys} HAVING ${t.values.map((v) => `sum(${v}) <> 0`).join(' OR ')}
           ),
           expected AS (${await expectedSql(client, t, orgId)}),
           differing AS (
             SELECT to_jsonb(s) AS stored, to_jsonb(e) AS expected,
                    jsonb_build_object(${t.key.map((k) => `'${k}', coalesce(s.${k}, e.${k})`).join(', ')}) AS key
             FROM stored s FULL JOIN expected e USING (${keys})
             WHERE ${t.values.map((v) => `s.${v} IS DISTINCT FROM e.${v}`).join(' OR ')}
           )
           SELECT (SELECT count(*) FROM differing)::int AS total, d.key, d.stored, d.expected
           FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT * FROM differing LIMIT $2) d ON true`,
          [orgId, sample],
        );
        mismatched += rows[0]?.total ?? 0;
        for (const row of rows) if (row.key) samples.push({ table: t.table, key: row.key, stored: row.stored, expected: row.expected });
      }
      return { mismatched, samples };
    });
  } finally {
    client.release();
  }
}
