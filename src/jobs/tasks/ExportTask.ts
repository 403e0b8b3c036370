import { z } from 'zod';
import { buildExportFile, markExportFailed, type ExportBuildOutcome } from '../../exports/exportBuilder.js';
import { logger } from '../../logger.js';
import { Task, type TaskContext } from '../Task.js';

const ExportSchema = z.object({
  orgId: z.number().int().positive(),
  exportId: z.number().int().positive(),
});

/**
 * Builds a CSV export too large for a request (src/exports/kinds.ts) into Postgres, with
 * progress the export page follows. A failed attempt is retried from the start of the file; the
 * last one marks the export failed.
 */
class ExportTask extends Task<typeof ExportSchema> {
  readonly name = 'export-csv';
  readonly schema = ExportSchema;
  override readonly options = { attempts: 2, backoff: { type: 'fixed', delay: 10_000 }, removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } };

  /**
   * The de-duplicating job id of an export.
   * @param exportId the export file.
   * @returns the job id.
   */
  jobId(exportId: number): string {
    return `export-csv-${exportId}`;
  }

  /**
   * Queues the building of an export file (once per file).
   * @param orgId the org.
   * @param exportId the export file.
   * @returns the job id.
   */
  enqueue(orgId: number, exportId: number) {
    return this.schedule({ orgId, exportId }, { jobId: this.jobId(exportId) });
  }

  async perform(payload: z.infer<typeof ExportSchema>, context?: TaskContext): Promise<ExportBuildOutcome> {
    try {
      return await buildExportFile(payload.orgId, payload.exportId);
    } catch (error) {
      const lastAttempt = !context?.job || context.job.attemptsMade + 1 >= (context.job.opts.attempts ?? 1);
      if (!lastAttempt) throw error;
      logger.error({ orgId: payload.orgId, exportId: payload.exportId, err: error }, 'export failed');
      return markExportFailed(payload.orgId, payload.exportId, 'The export could not be built.');
    }
  }
}

export const exportTask = new ExportTask();
