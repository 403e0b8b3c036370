import { msg } from '../i18n/msg.js';

/** How a data field is typed in (spec §6.6). */
export type FieldInputKind = 'numeric' | 'datetime' | 'text';

/** The maximum length of a stored field value. */
export const FIELD_VALUE_MAX = 255;

/**
 * The input a data field gets on the contact form.
 * @param valueType the field's value type.
 * @returns numeric, datetime or text.
 */
export function fieldInputKind(valueType: string): FieldInputKind {
  return valueType === 'numeric' || valueType === 'datetime' ? valueType : 'text';
}

function zoneOffsetMs(at: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return local - Math.floor(at / 1000) * 1000;
}

/**
 * Reads one data-field input: numbers as their decimal text, date-times (typed in the org's time
 * zone) as ISO-8601 in UTC, anything else as trimmed text; empty means null.
 * @param valueType the field's value type.
 * @param raw the submitted text.
 * @param timeZone the org's IANA zone.
 * @returns the value to store, or a message key.
 */
export function parseFieldInput(valueType: string, raw: unknown, timeZone: string): { value: string | null; error: null } | { value: null; error: string } {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!text) return { value: null, error: null };
  if (text.length > FIELD_VALUE_MAX) return { value: null, error: msg('This is too long.') };
  const kind = fieldInputKind(valueType);
  if (kind === 'numeric') {
    const normalized = text.replace(',', '.');
    if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(normalized)) return { value: null, error: msg('Enter a number.') };
    const [whole = '0', fraction = ''] = normalized.replace(/^\+/, '').split('.');
    const sign = whole.startsWith('-') ? '-' : '';
    const digits = whole.replace('-', '').replace(/^0+(?=\d)/, '') || '0';
    const decimals = fraction.replace(/0+$/, '');
    return { value: `${sign}${digits}${decimals ? `.${decimals}` : ''}`, error: null };
  }
  if (kind === 'datetime') {
    const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
    if (!match) return { value: null, error: msg('Enter a date and time.') };
    const [, y, mo, d, h = '0', mi = '0', s = '0'] = match;
    const guess = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    const check = new Date(guess);
    if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return { value: null, error: msg('Enter a date and time.') };
    const at = guess - zoneOffsetMs(guess - zoneOffsetMs(guess, timeZone), timeZone);
    return { value: new Date(at).toISOString(), error: null };
  }
  return { value: text, error: null };
}

/**
 * The form value of a stored field value: a date-time becomes local `YYYY-MM-DDTHH:mm` in the org's zone.
 * @param valueType the field's value type.
 * @param stored the stored value.
 * @param timeZone the org's IANA zone.
 * @returns the input's value.
 */
export function fieldFormValue(valueType: string, stored: string | null | undefined, timeZone: string): string {
  if (stored === null || stored === undefined) return '';
  if (fieldInputKind(valueType) !== 'datetime') return stored;
  const at = Date.parse(stored);
  if (Number.isNaN(at)) return '';
  return new Date(at + zoneOffsetMs(at, timeZone)).toISOString().slice(0, 16);
}
