/** The date choices of the poll page (spec §20.1). */
export const DATE_RANGES = ['month', '30-days', '60-days', '90-days', '6-months', '12-months', 'custom'] as const;
export type DateRangeChoice = (typeof DATE_RANGES)[number];

/** Inclusive calendar days `YYYY-MM-DD`; null is unbounded (custom ranges only). */
export interface DayRange {
  start: string | null;
  end: string | null;
}

/** Instants for `start ≤ conductedOn < endExclusive`; null is unbounded. */
export interface InstantRange {
  start: Date | null;
  endExclusive: Date | null;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Whether a text is a real calendar day `YYYY-MM-DD`.
 * @param text the candidate.
 * @returns true for e.g. 2024-02-29, false for 2023-02-29.
 */
export function isDay(text: string): boolean {
  const match = DAY.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}

function parts(day: string): [number, number, number] {
  const [, y, m, d] = DAY.exec(day)!;
  return [Number(y), Number(m), Number(d)];
}

const format = (date: Date) => date.toISOString().slice(0, 10);

/**
 * Moves a day by days and months, months calendar-aware (Aug 31 − 6 months = Feb 29 or 28).
 * @param day `YYYY-MM-DD`.
 * @param delta days and months to add (negative to subtract).
 * @returns the day.
 */
export function addToDay(day: string, delta: { days?: number; months?: number }): string {
  const [y, m, d] = parts(day);
  const months = y * 12 + (m - 1) + (delta.months ?? 0);
  const lastOfMonth = new Date(Date.UTC(Math.floor(months / 12), (months % 12) + 1, 0)).getUTCDate();
  const date = new Date(Date.UTC(Math.floor(months / 12), months % 12, Math.min(d, lastOfMonth)));
  date.setUTCDate(date.getUTCDate() + (delta.days ?? 0));
  return format(date);
}

/**
 * The days a choice covers (spec §20.1), counted on the org's calendar: the current month, or
 * today back N days or N months; custom takes the given days.
 * @param choice the choice.
 * @param today the org-local day.
 * @param custom the days given for a custom range.
 * @returns inclusive days.
 */
export function rangeDays(choice: DateRangeChoice, today: string, custom: DayRange = { start: null, end: null }): DayRange {
  const [y, m] = parts(today);
  switch (choice) {
    case 'month':
      return { start: format(new Date(Date.UTC(y, m - 1, 1))), end: format(new Date(Date.UTC(y, m, 0))) };
    case '30-days':
    case '60-days':
    case '90-days':
      return { start: addToDay(today, { days: -Number(choice.slice(0, 2)) }), end: today };
    case '6-months':
    case '12-months':
      return { start: addToDay(today, { months: -Number.parseInt(choice, 10) }), end: today };
    case 'custom':
      return custom;
  }
}

/** Milliseconds the zone is ahead of UTC at an instant. */
function zoneOffset(at: number, timeZone: string): number {
  const fields = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(new Date(at))
      .map((p) => [p.type, Number(p.value)]),
  );
  return Date.UTC(fields.year!, fields.month! - 1, fields.day!, fields.hour!, fields.minute!, fields.second!) - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a day starts in a time zone.
 * @param day `YYYY-MM-DD`.
 * @param timeZone an IANA zone.
 * @returns 00:00 of that day, org-local, as an instant.
 */
export function startOfDay(day: string, timeZone: string): Date {
  const [y, m, d] = parts(day);
  const guess = Date.UTC(y, m - 1, d);
  const first = guess - zoneOffset(guess, timeZone);
  return new Date(guess - zoneOffset(first, timeZone));
}

/**
 * The org-local calendar day of an instant (spec §13.9: chart dates are org-local).
 * @param at the instant.
 * @param timeZone an IANA zone.
 * @returns `YYYY-MM-DD`.
 */
export function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * Turns inclusive org-local days into the instants poll runs are compared with; the end bound is
 * exclusive, the start of the day after the last (spec §20.1).
 * @param days the days.
 * @param timeZone the org's zone.
 * @returns the instants.
 */
export function rangeInstants(days: DayRange, timeZone: string): InstantRange {
  return {
    start: days.start ? startOfDay(days.start, timeZone) : null,
    endExclusive: days.end ? startOfDay(addToDay(days.end, { days: 1 }), timeZone) : null,
  };
}
