import { once } from 'node:events';
import type { Request, Response } from 'express';
import { exportChunks } from '../../../db/exports.js';
import { NotFoundError } from '../../../errors.js';
import type { ExportFile } from '../../../generated/prisma/client.js';
import { exportKind } from '../../../exports/kinds.js';
import { EXPORT_TTL_HOURS } from '../../../exports/limits.js';
import { msg } from '../../../i18n/msg.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { idParam } from '../../forms.js';
import { sendCsvHeaders } from './send.js';

const STATUS_LABELS: Record<string, string> = {
  queued: msg('Waiting to start'),
  running: msg('Being built'),
  done: msg('Ready'),
  failed: msg('Failed'),
};

/**
 * Loads the export of `:id` for the reader: 404 unless it belongs to the org and holds only
 * contacts of regions the reader sees (an export made from "All regions" is not for a supervisor
 * of one region). Expiry is left to the caller, which says so (410).
 */
async function loadExport(req: Request): Promise<ExportFile> {
  const file = await orgDb(req.org!.id).exportFile.findFirst({ where: { id: idParam(req.params) } });
  const kind = file && exportKind(file.kind);
  if (!file || !kind) throw new NotFoundError();
  let regionIds: number[];
  try {
    regionIds = kind.prepare(req.org!.id, file.params).regionIds;
  } catch {
    throw new NotFoundError();
  }
  const allowed = req.regions!.userRegionIds;
  if (allowed && !regionIds.every((id) => allowed.has(id))) throw new NotFoundError();
  return file;
}

const expired = (file: ExportFile) => file.expiresAt <= new Date();

/** An export's state as its page and the progress JSON show it. */
function presentExport(req: Request, file: ExportFile) {
  const done = file.status === 'done';
  const percent = done ? 100 : file.totalRows ? Math.min(99, Math.floor((100 * file.rows) / file.totalRows)) : 0;
  const number = new Intl.NumberFormat(req.language);
  return {
    id: file.id,
    filename: file.filename,
    status: file.status,
    statusLabel: req.t(STATUS_LABELS[file.status] ?? file.status),
    rows: file.rows,
    totalRows: file.totalRows,
    percent,
    rowsText: file.totalRows !== null ? req.t('{{rows}} of {{total}} rows', { rows: number.format(file.rows), total: number.format(file.totalRows) }) : req.t('{{rows}} rows', { rows: number.format(file.rows) }),
    done,
    failed: file.status === 'failed',
    error: file.status === 'failed' ? req.t('The export could not be built. Please try again.') : null,
    downloadUrl: `/exports/${file.id}/download`,
    expiresAt: file.expiresAt,
  };
}

function renderExpired(res: Response) {
  res.status(410).render('pages/exports/expired.njk', { hours: EXPORT_TTL_HOURS });
}

/** GET /exports/:id: the export's progress (kept up to date by static/js/export-progress.js), then its link. */
export async function show(req: Request, res: Response) {
  const file = await loadExport(req);
  if (expired(file)) return renderExpired(res);
  res.render('pages/exports/show.njk', { file: presentExport(req, file) });
}

/** GET /exports/:id/progress.json: the export's progress, for the page's progress bar. */
export async function progress(req: Request, res: Response) {
  const file = await loadExport(req);
  if (expired(file)) return res.status(410).json({ error: req.t('This export has expired.') });
  res.json(presentExport(req, file));
}

/** GET /exports/:id/download: the built file, streamed piece by piece in order. */
export async function download(req: Request, res: Response) {
  const file = await loadExport(req);
  if (expired(file)) return renderExpired(res);
  if (file.status !== 'done') return res.redirect(303, `/exports/${file.id}`);
  sendCsvHeaders(res, file.filename);
  res.setHeader('Content-Length', String(file.bytes));
  for await (const chunk of exportChunks(req.org!.id, file.id)) {
    if (res.destroyed) break;
    if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  }
  res.end();
}
