/** Time helpers of the simulator; all instants are integer microseconds since the epoch. */

export const US_PER_MS = 1000;
export const US_PER_SECOND = 1_000_000;
export const US_PER_MINUTE = 60 * US_PER_SECOND;
export const US_PER_HOUR = 60 * US_PER_MINUTE;
export const US_PER_DAY = 24 * US_PER_HOUR;
export const US_PER_WEEK = 7 * US_PER_DAY;

/**
 * Formats microseconds as RapidPro does: 6 fractional digits and `Z`.
 * @param us microseconds since the epoch.
 * @returns e.g. `2024-05-02T08:15:00.123456Z`.
 */
export function isoMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  const micros = us - ms * 1000;
  const base = new Date(ms).toISOString();
  return `${base.slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
}

/**
 * Formats microseconds as a datetime with a fixed offset, as contact datetime fields are.
 * @param us microseconds since the epoch.
 * @param offsetHours the workspace's UTC offset in whole hours.
 * @returns e.g. `2024-03-05T09:30:00+02:00`.
 */
export function isoWithOffset(us: number, offsetHours: number): string {
  const local = new Date(Math.floor(us / 1000) + offsetHours * 3_600_000).toISOString().slice(0, 19);
  const sign = offsetHours < 0 ? '-' : '+';
  return `${local}${sign}${String(Math.abs(offsetHours)).padStart(2, '0')}:00`;
}

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses a filter value the way the server does; anything unparseable gives null (→ empty list).
 * @param text the raw query value.
 * @returns microseconds since the epoch, or null.
 */
export function parseIsoMicros(text: string): number | null {
  const match = ISO_PATTERN.exec(text);
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = match;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (!Number.isFinite(ms)) return null;
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const digits = zone.replace(':', '');
    offsetMinutes = (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * (digits.startsWith('-') ? -1 : 1);
  }
  const micros = frac === '' ? 0 : Number(frac.padEnd(6, '0'));
  return (ms - offsetMinutes * 60_000) * 1000 + micros;
}

/**
 * Formats a UTC date (YYYY-MM-DD) for archive start dates.
 * @returns the date part of the ISO string.
 */
export function isoDate(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString().slice(0, 10);
}
