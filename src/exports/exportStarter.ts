import { exportTask } from '../jobs/tasks/ExportTask.js';
import { orgDb } from '../tenancy/orgDb.js';
import { EXPORT_KINDS, type ExportKindName } from './kinds.js';
import { exportExpiry } from './limits.js';

/** An export to hand to a job. */
export interface ExportRequest {
  kind: ExportKindName;
  /** The kind's parameters (checked against its schema here). */
  params: object;
  /** Who asked. */
  requestedById: number;
  /** The expected rows, for the progress bar until the job counts them. */
  estimatedRows: number;
}

/**
 * Records an export file to build and queues its job (after the row is written): the request
 * then sends the user to the export's page.
 * @param orgId the org.
 * @param request the export.
 * @returns the export file's id.
 */
export async function startExport(orgId: number, request: ExportRequest): Promise<number> {
  const kind = EXPORT_KINDS[request.kind];
  kind.prepare(orgId, request.params);
  const now = new Date();
  const file = await orgDb(orgId).exportFile.create({
    data: {
      orgId, kind: request.kind, params: request.params, filename: kind.filename, requestedById: request.requestedById,
      totalRows: request.estimatedRows, createdAt: now, expiresAt: exportExpiry(now),
    },
  });
  await exportTask.enqueue(orgId, file.id);
  return file.id;
}
