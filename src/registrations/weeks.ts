// Building an Intl.DateTimeFormat costs far more than formatting with one; intake asks on every request.
const formats = new Map<string, Intl.DateTimeFormat>();
const lastDay = new Map<string, { minute: number; day: number }>();

/**
 * Today's calendar date in a time zone, as a UTC-midnight Date (spec §5.5).
 * @param now the current instant (injectable clock).
 * @param timeZone an IANA zone.
 * @returns the date at 00:00 UTC.
 */
export function todayIn(now: Date, timeZone: string): Date {
  // Zone offsets are whole minutes, so the local date is the same throughout a UTC minute.
  const minute = Math.floor(now.getTime() / 60_000);
  const cached = lastDay.get(timeZone);
  if (cached?.minute === minute) return new Date(cached.day);
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, format);
  }
  const day = Date.parse(`${format.format(now)}T00:00:00Z`);
  lastDay.set(timeZone, { minute, day });
  return new Date(day);
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
