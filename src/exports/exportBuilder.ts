import { clearExportChunks } from '../db/exports.js';
import { orgDb } from '../tenancy/orgDb.js';
import { ExportChunkSink } from './chunkSink.js';
import { pipeCsv } from './csvStream.js';
import { exportKind } from './kinds.js';

/** Progress is written at most this often while a file is built. */
const PROGRESS_EVERY_MS = 1_000;

/** What building an export file did. */
export type ExportBuildOutcome = 'done' | 'failed' | 'skipped';

/**
 * Builds an export file into Postgres (ExportChunk rows), the same CSV a request would have
 * streamed. Idempotent: a run after a crash clears the pieces and starts again; a file already
 * built, expired or deleted is left alone.
 * @param orgId the org.
 * @param exportId the export file.
 * @returns what happened.
 */
export async function buildExportFile(orgId: number, exportId: number): Promise<ExportBuildOutcome> {
  const scoped = orgDb(orgId);
  const file = await scoped.exportFile.findFirst({ where: { id: exportId } });
  if (!file || file.status === 'done' || file.status === 'failed' || file.expiresAt <= new Date()) return 'skipped';
  const kind = exportKind(file.kind);
  if (!kind) return markExportFailed(orgId, exportId, `unknown export kind ${file.kind}`);
  const prepared = kind.prepare(orgId, file.params);
  await clearExportChunks(orgId, exportId);
  const totalRows = await prepared.count();
  await scoped.exportFile.update({ where: { id: exportId }, data: { status: 'running', rows: 0, bytes: 0, totalRows, error: null } });
  const source = await prepared.build();
  if (!source) return markExportFailed(orgId, exportId, 'The data of this export is gone.');
  const sink = new ExportChunkSink(orgId, exportId);
  let reported = Date.now();
  const outcome = await pipeCsv(source, sink, async (rows) => {
    if (Date.now() - reported < PROGRESS_EVERY_MS) return;
    reported = Date.now();
    await scoped.exportFile.update({ where: { id: exportId }, data: { rows } });
  });
  await scoped.exportFile.update({
    where: { id: exportId },
    data: { status: 'done', rows: outcome.rows, totalRows: outcome.rows, bytes: sink.bytes, finishedAt: new Date() },
  });
  return 'done';
}

/**
 * Marks an export file failed (its job gave up).
 * @param orgId the org.
 * @param exportId the export file.
 * @param error what went wrong, for the export page.
 * @returns 'failed'.
 */
export async function markExportFailed(orgId: number, exportId: number, error: string): Promise<'failed'> {
  await orgDb(orgId).exportFile.updateMany({ where: { id: exportId }, data: { status: 'failed', error: error.slice(0, 1000), finishedAt: new Date() } });
  return 'failed';
}
