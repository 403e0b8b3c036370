import { z } from 'zod';
import { msg } from '../i18n/msg.js';

/** Units a "fetch past runs" period can be given in (the page offers days and hours). */
export const FETCH_PERIOD_UNITS = ['days', 'hours', 'minutes'] as const;
export type FetchPeriodUnit = (typeof FETCH_PERIOD_UNITS)[number];

const UNIT_MS: Record<FetchPeriodUnit, number> = { days: 86_400_000, hours: 3_600_000, minutes: 60_000 };

/** The longest period one fetch may cover: ten years, far beyond any RapidPro archive. */
export const MAX_FETCH_DAYS = 3650;

const WHOLE = msg('Enter a whole number of 1 or more.');

/** A whole number ≥ 1 from a form field or a flag ("", "1.5", "abc", "0" and "-2" are refused). */
const wholeNumber = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : v),
  z.number({ error: WHOLE }).int(WHOLE).min(1, WHOLE),
);

/**
 * How far back to fetch (spec §9.6): an amount of days, hours or minutes; messages are t() keys.
 * Used by the page and by `tracpro fetch-runs`.
 */
export const FetchPeriodSchema = z
  .object({
    amount: wholeNumber,
    unit: z.enum(FETCH_PERIOD_UNITS, { error: msg('Choose days or hours.') }).default('days'),
  })
  .refine((p) => p.amount * UNIT_MS[p.unit] <= MAX_FETCH_DAYS * UNIT_MS.days, { path: ['amount'], message: msg('Enter a period of at most ten years.') });
export type FetchPeriod = z.infer<typeof FetchPeriodSchema>;

/**
 * The length of a period.
 * @param period amount and unit.
 * @returns milliseconds.
 */
export function periodMs(period: FetchPeriod): number {
  return period.amount * UNIT_MS[period.unit];
}
