/** A RapidPro timestamp: the normalised text (6 digits, `Z`) kept for `after=` filters, plus epoch ms. */
export interface ApiTime {
  /** e.g. `2024-05-02T08:15:00.123456Z` (microseconds kept). */
  iso: string;
  /** Milliseconds since the epoch (sub-ms precision lost). */
  ms: number;
}

const PATTERN = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses a RapidPro timestamp in any of its forms (`Z`, `+00:00`, 0-6 fraction digits).
 * @returns the normalised time, or null when unparseable.
 */
export function parseApiTime(text: string): ApiTime | null {
  const match = PATTERN.exec(text.trim());
  if (!match) return null;
  const [, date, time, fraction = '', zone = 'Z'] = match;
  const micros = fraction.padEnd(6, '0').slice(0, 6);
  const ms = Date.parse(`${date}T${time}.${micros.slice(0, 3)}${zone === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`);
  if (!Number.isFinite(ms)) return null;
  const utc = new Date(ms).toISOString().slice(0, 19);
  return { iso: `${utc}.${micros}Z`, ms };
}

/**
 * Formats a time for a query filter: `YYYY-MM-DDTHH:MM:SS.ffffffZ`, never a raw `+` offset.
 * @param time a Date, epoch ms, an ApiTime or an ISO string.
 * @returns the filter value (URL-encode it as any query value).
 */
export function formatApiTime(time: Date | number | ApiTime | string): string {
  if (typeof time === 'object' && 'iso' in time) return time.iso;
  if (typeof time === 'string') {
    const parsed = parseApiTime(time);
    if (!parsed) throw new Error(`not a timestamp: ${time}`);
    return parsed.iso;
  }
  const iso = new Date(time).toISOString();
  return `${iso.slice(0, 23)}000Z`;
}
