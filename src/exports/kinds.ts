import type { z } from 'zod';
import type { CsvSource } from './csvStream.js';
import { countParticipationRows, participationCsv, ParticipationExportParamsSchema } from './participationCsv.js';
import { countResponsesRows, responsesCsv, ResponsesExportParamsSchema } from './responsesCsv.js';

/** An export with its parameters read: what it covers, how many rows, and the CSV itself. */
export interface PreparedExport {
  /** The regions whose contacts it holds: a reader must see all of them. */
  regionIds: number[];
  count(): Promise<number>;
  /** The CSV, or null when its subject is gone. */
  build(): Promise<CsvSource | null>;
}

/** One kind of CSV export. */
export interface ExportKind {
  filename: string;
  /**
   * Reads stored (or freshly made) parameters.
   * @throws ZodError when they do not fit the kind.
   */
  prepare(orgId: number, params: unknown): PreparedExport;
}

function kind<S extends z.ZodType<{ regionIds: number[] }>>(
  schema: S,
  filename: string,
  count: (orgId: number, params: z.infer<S>) => Promise<number>,
  build: (orgId: number, params: z.infer<S>) => Promise<CsvSource | null>,
): ExportKind {
  return {
    filename,
    prepare(orgId, raw) {
      const params = schema.parse(raw);
      return { regionIds: params.regionIds, count: () => count(orgId, params), build: () => build(orgId, params) };
    },
  };
}

/**
 * Every export kind by its stored name. A request streams small exports itself and hands larger
 * ones to ExportTask; both build them here, so a file built by a job equals the inline download.
 */
export const EXPORT_KINDS = {
  'pollrun-responses': kind(ResponsesExportParamsSchema, 'responses.csv', countResponsesRows, responsesCsv),
  participation: kind(ParticipationExportParamsSchema, 'participation.csv', countParticipationRows, participationCsv),
} satisfies Record<string, ExportKind>;
export type ExportKindName = keyof typeof EXPORT_KINDS;

/**
 * Finds a stored kind.
 * @param name the stored kind.
 * @returns the kind, or undefined.
 */
export function exportKind(name: string): ExportKind | undefined {
  return Object.hasOwn(EXPORT_KINDS, name) ? EXPORT_KINDS[name as ExportKindName] : undefined;
}
