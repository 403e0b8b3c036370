/**
 * Today's calendar date in a time zone, as a UTC-midnight Date (spec §5.5).
 * @param now the current instant (injectable clock).
 * @param timeZone an IANA zone.
 * @returns the date at 00:00 UTC.
 */
export function todayIn(now: Date, timeZone: string): Date {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  return new Date(`${parts}T00:00:00Z`);
}

/**
 * Parses a real calendar date written YYYYMMDD.
 * @param value the candidate.
 * @returns the date at 00:00 UTC, or null when it is not a real date.
 */
export function parseCompactDate(value: unknown): Date | null {
  if (typeof value !== 'string' || !/^\d{8}$/.test(value)) return null;
  const [y, m, d] = [Number(value.slice(0, 4)), Number(value.slice(4, 6)), Number(value.slice(6, 8))];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? date : null;
}

const DAY_MS = 86_400_000;

/**
 * Weeks of pregnancy: floor(days since the last period ÷ 7), and exactly 1 becomes 2.
 * @param lastPeriod the last period date.
 * @param today today's date.
 * @returns the week.
 */
export function pregnancyWeeks(lastPeriod: Date, today: Date): number {
  const weeks = Math.floor((today.getTime() - lastPeriod.getTime()) / DAY_MS / 7);
  return weeks === 1 ? 2 : weeks;
}

/**
 * Baby age in weeks: floor(days since birth ÷ 7); a birth date in the future gives −1.
 * @param dob the date of birth.
 * @param today today's date.
 * @returns the age in weeks.
 */
export function babyAgeWeeks(dob: Date, today: Date): number {
  if (dob.getTime() > today.getTime()) return -1;
  return Math.floor((today.getTime() - dob.getTime()) / DAY_MS / 7);
}
