import { env } from '../env.js';

/** A CSV export with more rows than this is built by a job instead of in the request. */
export const EXPORT_INLINE_ROW_LIMIT = 50_000;

/** An export file can be downloaded for this long after it was asked for, then it is purged. */
export const EXPORT_TTL_HOURS = 24;

/** Bytes per stored piece of an export file. */
export const EXPORT_CHUNK_BYTES = 1024 * 1024;

/**
 * The row limit above which an export becomes a job: EXPORT_INLINE_ROW_LIMIT, unless the
 * environment sets another (tests set a small one).
 * @returns the limit.
 */
export function inlineRowLimit(): number {
  return env().EXPORT_INLINE_ROW_LIMIT ?? EXPORT_INLINE_ROW_LIMIT;
}

/**
 * When an export asked for now expires.
 * @param from when it was asked for.
 * @returns the expiry instant.
 */
export function exportExpiry(from = new Date()): Date {
  return new Date(from.getTime() + EXPORT_TTL_HOURS * 3600_000);
}
