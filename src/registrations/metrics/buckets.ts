/** A time bucket: values count events in (start, end]; totals are read at end. */
export interface Bucket {
  start: Date;
  end: Date;
}

export const INTERVALS = ['1h', '1d', '1w', '1mo'] as const;
export type Interval = (typeof INTERVALS)[number];

/** Seconds of a uniform interval (months vary, so they use 30 days for MetricPoint bookkeeping). */
export const INTERVAL_SECONDS: Record<Interval, number> = { '1h': 3600, '1d': 86_400, '1w': 604_800, '1mo': 2_592_000 };

function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(instant).map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant of a local wall-clock time in a zone. */
function zoned(y: number, m: number, d: number, timeZone: string): Date {
  const guess = Date.UTC(y, m, d);
  const first = guess - zoneOffsetMs(new Date(guess), timeZone);
  return new Date(guess - zoneOffsetMs(new Date(first), timeZone));
}

function localDate(instant: Date, timeZone: string): [number, number, number, number] {
  const shifted = new Date(instant.getTime() + zoneOffsetMs(instant, timeZone));
  return [shifted.getUTCFullYear(), shifted.getUTCMonth(), shifted.getUTCDate(), (shifted.getUTCDay() + 6) % 7];
}

/**
 * The instant a local calendar day starts in a zone, optionally some days later.
 * @param day the day, YYYY-MM-DD.
 * @param timeZone an IANA zone.
 * @param plusDays days to add.
 * @returns the instant of local midnight.
 */
export function dayStart(day: string, timeZone: string, plusDays = 0): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return zoned(y, m - 1, d + plusDays, timeZone);
}

/**
 * The local calendar day of an instant in a zone.
 * @param instant the instant.
 * @param timeZone an IANA zone.
 * @returns the day, YYYY-MM-DD.
 */
export function localDay(instant: Date, timeZone: string): string {
  const [y, m, d] = localDate(instant, timeZone);
  return new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);
}

/**
 * The start of the bucket containing an instant, in the org's time zone (weeks start on Monday).
 * @param instant the instant.
 * @param interval the interval.
 * @param timeZone an IANA zone.
 * @returns the bucket start.
 */
export function bucketStart(instant: Date, interval: Interval, timeZone: string): Date {
  if (interval === '1h') return new Date(Math.floor(instant.getTime() / 3_600_000) * 3_600_000);
  const [y, m, d, weekday] = localDate(instant, timeZone);
  if (interval === '1d') return zoned(y, m, d, timeZone);
  if (interval === '1w') return zoned(y, m, d - weekday, timeZone);
  return zoned(y, m, 1, timeZone);
}

function nextStart(start: Date, interval: Interval, timeZone: string): Date {
  if (interval === '1h') return new Date(start.getTime() + 3_600_000);
  const [y, m, d] = localDate(start, timeZone);
  if (interval === '1d') return zoned(y, m, d + 1, timeZone);
  if (interval === '1w') return zoned(y, m, d + 7, timeZone);
  return zoned(y, m + 1, 1, timeZone);
}

/**
 * Uniform buckets covering [from, to] (spec §8.6 interval mode), aligned in the org's time zone.
 * @param from the first instant.
 * @param to the last instant.
 * @param interval the bucket size.
 * @param timeZone an IANA zone.
 * @param max refuse plans longer than this.
 * @returns the buckets.
 */
export function intervalBuckets(from: Date, to: Date, interval: Interval, timeZone: string, max = 10_000): Bucket[] {
  const buckets: Bucket[] = [];
  for (let start = bucketStart(from, interval, timeZone); start.getTime() <= to.getTime() && buckets.length < max; ) {
    const end = nextStart(start, interval, timeZone);
    buckets.push({ start, end });
    start = end;
  }
  return buckets;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

/**
 * Parses a Graphite retention string ("1m:1d,5m:1y,1h:5y").
 * @param text the retentions.
 * @returns precision and duration pairs in seconds, or null when malformed.
 */
export function parseRetentions(text: string): { precision: number; duration: number }[] | null {
  const pairs = text.split(',').map((pair) => {
    const m = /^\s*(\d+)([smhdwy])\s*:\s*(\d+)([smhdwy])\s*$/.exec(pair);
    return m ? { precision: Number(m[1]) * UNIT_SECONDS[m[2]!]!, duration: Number(m[3]) * UNIT_SECONDS[m[4]!]! } : null;
  });
  return pairs.length && pairs.every((p) => p && p.precision > 0 && p.duration >= p.precision) ? (pairs as { precision: number; duration: number }[]) : null;
}

/**
 * Buckets of a retention plan (spec §8.6): the first pair covers (now − duration, now] in steps of its
 * precision; each following pair covers from now − its duration up to the earliest start already
 * covered, its last bucket clipped so pairs never overlap.
 * @param pairs parsed retentions.
 * @param now the plan's end.
 * @param max refuse plans longer than this.
 * @returns buckets, oldest first.
 */
export function retentionBuckets(pairs: { precision: number; duration: number }[], now: Date, max = 5_000_000): Bucket[] {
  const buckets: Bucket[] = [];
  let covered = now.getTime();
  for (const { precision, duration } of pairs) {
    const from = now.getTime() - duration * 1000;
    if (from >= covered) continue;
    const pair: Bucket[] = [];
    for (let start = from; start < covered && buckets.length + pair.length < max; start += precision * 1000) {
      pair.push({ start: new Date(start), end: new Date(Math.min(start + precision * 1000, covered)) });
    }
    buckets.unshift(...pair);
    covered = from;
  }
  return buckets;
}

/**
 * The number of buckets a retention plan has, without building it (for the >100 000 warning).
 * @param pairs parsed retentions.
 * @returns the count.
 */
export function retentionBucketCount(pairs: { precision: number; duration: number }[]): number {
  let covered = 0;
  let count = 0;
  for (const { precision, duration } of pairs) {
    if (duration <= covered) continue;
    count += Math.ceil((duration - covered) / precision);
    covered = duration;
  }
  return count;
}
