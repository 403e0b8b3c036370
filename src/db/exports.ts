import { db } from './client.js';
import { pgPool } from './pool.js';

/**
 * Stores one piece of an export file's bytes.
 * @param orgId the org.
 * @param exportId the export file.
 * @param seq the piece's position, from 0.
 * @param data the bytes.
 */
export async function appendExportChunk(orgId: number, exportId: number, seq: number, data: Buffer): Promise<void> {
  await pgPool().query('INSERT INTO export_chunks (org_id, export_id, seq, data) VALUES ($1, $2, $3, $4)', [orgId, exportId, seq, data]);
}

/**
 * Drops the pieces of an export file (a job that runs again starts the file afresh).
 * @param orgId the org.
 * @param exportId the export file.
 */
export async function clearExportChunks(orgId: number, exportId: number): Promise<void> {
  await pgPool().query('DELETE FROM export_chunks WHERE org_id = $1 AND export_id = $2', [orgId, exportId]);
}

/**
 * Reads an export file's pieces in order, one at a time, so a download holds one piece in memory.
 * @param orgId the org.
 * @param exportId the export file.
 * @returns the pieces' bytes.
 */
export async function* exportChunks(orgId: number, exportId: number): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq++) {
    const { rows: [row] } = await pgPool().query<{ data: Buffer }>('SELECT data FROM export_chunks WHERE org_id = $1 AND export_id = $2 AND seq = $3', [orgId, exportId, seq]);
    if (!row) return;
    yield row.data;
  }
}

/**
 * Deletes every export file (of any org) that expired, with its pieces.
 * @param now the current time.
 * @returns how many files were deleted.
 */
export async function purgeExpiredExports(now = new Date()): Promise<number> {
  const { count } = await db().exportFile.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}
