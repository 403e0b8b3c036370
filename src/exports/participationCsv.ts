import { z } from 'zod';
import type { Prisma } from '../generated/prisma/client.js';
import { db } from '../db/client.js';
import { participationCsvBatches } from '../db/participationRows.js';
import { translator } from '../i18n/index.js';
import { msg } from '../i18n/msg.js';
import { orgDb } from '../tenancy/orgDb.js';
import { mapBatches, spreadsheetSafe, type CsvSource } from './csvStream.js';
import { ContactPlaceNames, pollRunHeading } from './names.js';

/** What a participation-across-polls export needs to be built again. */
export const ParticipationExportParamsSchema = z.object({
  /** The poll runs of the columns, newest first. */
  pollRunIds: z.array(z.number().int().positive()).max(20),
  /** The regions of the reader's region context. */
  regionIds: z.array(z.number().int().positive()),
  /** Search terms on name or URN. */
  terms: z.array(z.string().max(200)).max(20).default([]),
  /** The reader's language, for the headings and cell words. */
  language: z.string().max(8).default('en'),
});
export type ParticipationExportParams = z.infer<typeof ParticipationExportParamsSchema>;

/** What a cell says for a response status: complete, partial, or none (N: an empty response, or none at all). */
export const PARTICIPATION_LABELS = { C: msg('Complete'), P: msg('Partial'), N: msg('None') } as const;

/**
 * Contacts × the latest poll runs as CSV: name, URN, region, then complete / partial / none per
 * poll run (the /participation page's table, every page at once).
 * @param orgId the org.
 * @param params the export.
 * @returns the source.
 */
export async function participationCsv(orgId: number, params: ParticipationExportParams): Promise<CsvSource> {
  const t = translator(params.language);
  const [org, runs, names] = await Promise.all([
    db().org.findUniqueOrThrow({ where: { id: orgId }, select: { timezone: true } }),
    orgDb(orgId).pollRun.findMany({ where: { id: { in: params.pollRunIds } }, include: { poll: true } }),
    ContactPlaceNames.load(orgId),
  ]);
  const columns = params.pollRunIds.map((id) => runs.find((r) => r.id === id)).filter((r) => r !== undefined);
  const labels = { C: t(PARTICIPATION_LABELS.C), P: t(PARTICIPATION_LABELS.P), N: t(PARTICIPATION_LABELS.N) };
  const rows = participationCsvBatches(orgId, { regionIds: params.regionIds, terms: params.terms, pollRunIds: columns.map((r) => r.id) });
  return {
    header: [t('Name'), t('URN'), t('Region'), ...columns.map((r) => pollRunHeading(r, org.timezone))],
    batches: mapBatches(rows, (row) => {
      const [name, urn, regionId, ...statuses] = row as [string, string, number, ...string[]];
      return [spreadsheetSafe(name), urn, names.region(regionId), ...statuses.map((s) => (s === 'C' || s === 'P' ? labels[s] : labels.N))];
    }),
  };
}

/**
 * The contacts a participation matrix lists (spec §17.9 search rule): active, in the regions,
 * each search term in the name or the URN.
 * @param params regions and terms.
 * @returns a Prisma where clause for orgDb(orgId).contact.
 */
export function participationContactsWhere(params: Pick<ParticipationExportParams, 'regionIds' | 'terms'>): Prisma.ContactWhereInput {
  return {
    AND: [
      { isActive: true, regionId: { in: params.regionIds } },
      ...params.terms.map((term) => ({ OR: [{ name: { contains: term, mode: 'insensitive' as const } }, { urn: { contains: term, mode: 'insensitive' as const } }] })),
    ],
  };
}

/**
 * The rows of a participation export: its contacts.
 * @param orgId the org.
 * @param params the export.
 * @returns the count.
 */
export function countParticipationRows(orgId: number, params: ParticipationExportParams): Promise<number> {
  return orgDb(orgId).contact.count({ where: participationContactsWhere(params) });
}
