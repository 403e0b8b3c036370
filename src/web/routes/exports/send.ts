import type { Request, Response } from 'express';
import { NotFoundError } from '../../../errors.js';
import type { CsvSource } from '../../../exports/csvStream.js';
import { pipeCsv } from '../../../exports/csvStream.js';
import { startExport } from '../../../exports/exportStarter.js';
import { EXPORT_KINDS, type ExportKindName } from '../../../exports/kinds.js';
import { inlineRowLimit } from '../../../exports/limits.js';

/** A CSV a page offers for download. */
export interface CsvDownload {
  kind: ExportKindName;
  /** The kind's parameters (what a job would need to build the same file). */
  params: object;
  /** A cheap estimate of its rows (counters, a count). */
  estimatedRows: number;
  /** Builds the CSV for streaming here; null when its subject is gone. */
  build(): Promise<CsvSource | null>;
}

/**
 * Streams a CSV in the response, or — above the inline row limit — records an export file, queues
 * its job and sends the user to the export's page (progress, then the download link).
 * @param req the request.
 * @param res the response.
 * @param download the CSV.
 */
export async function sendCsvOrStartExport(req: Request, res: Response, download: CsvDownload): Promise<void> {
  const orgId = req.org!.id;
  if (download.estimatedRows > inlineRowLimit()) {
    const id = await startExport(orgId, { kind: download.kind, params: download.params, requestedById: req.user!.id, estimatedRows: download.estimatedRows });
    return res.redirect(303, `/exports/${id}`);
  }
  const source = await download.build();
  if (!source) throw new NotFoundError();
  sendCsvHeaders(res, EXPORT_KINDS[download.kind].filename);
  await pipeCsv(source, res);
}

/**
 * Sets the headers of a CSV download (spec §19).
 * @param res the response.
 * @param filename the file name offered.
 */
export function sendCsvHeaders(res: Response, filename: string): void {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
}
