import type { SqlExecutor } from './executor.js';

/** What one page of a "fetch past runs" writes back to its row. */
export interface RunFetchCheckpoint {
  /** The whole progress document (src/pollruns/fetchPastState.ts). */
  progress: object;
  /** API requests made so far by this fetch. */
  requestsMade: number;
  /** The log so far; left alone when omitted. */
  log?: string[];
}

/**
 * Saves a fetch's progress in the transaction that applied the page, so a retried job resumes
 * exactly after the last applied page and its counts never drift from what was written.
 * @param execute an executor on the page's transaction.
 * @param orgId the org (every statement is scoped by it).
 * @param fetchId the run_fetches row.
 * @param checkpoint progress, requests made and (optionally) the log.
 * @returns whether the row was found.
 */
export async function saveRunFetchProgress(execute: SqlExecutor, orgId: number, fetchId: number, checkpoint: RunFetchCheckpoint): Promise<boolean> {
  const count = await execute(
    `UPDATE run_fetches SET progress = $3::jsonb, requests_made = $4, log = COALESCE($5::text[], log), updated_at = now()
     WHERE org_id = $1 AND id = $2`,
    [orgId, fetchId, JSON.stringify(checkpoint.progress), checkpoint.requestsMade, checkpoint.log ?? null],
  );
  return count === 1;
}
