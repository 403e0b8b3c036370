/**
 * Formats a date as "Mon DD, YYYY" in a time zone and language.
 * @param date the instant.
 * @param timeZone an IANA zone.
 * @param language a UI language code.
 * @returns the formatted date.
 */
export function formatDate(date: Date, timeZone: string, language = 'en'): string {
  return new Intl.DateTimeFormat(language, { timeZone, year: 'numeric', month: 'short', day: '2-digit' }).format(date);
}

/**
 * Formats a date and time ("Mon DD, YYYY HH:MM") in a time zone and language.
 * @param date the instant.
 * @param timeZone an IANA zone.
 * @param language a UI language code.
 * @returns the formatted date and time.
 */
export function formatDateTime(date: Date, timeZone: string, language = 'en'): string {
  return new Intl.DateTimeFormat(language, {
    timeZone, year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).format(date);
}

/**
 * Tells whether a string names an IANA time zone this runtime knows.
 * @param zone the candidate.
 * @returns true when usable.
 */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/** Every IANA time zone, UTC first, for select lists. */
export function timeZones(): string[] {
  return ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
}
