import { isoMicros, parseIsoMicros } from './time.js';

/** Position of a cursor: first sort value, offset among rows sharing it, and whether it pages backwards. */
export interface CursorPosition {
  position: number | string;
  offset: number;
  previous: boolean;
}

/** A sorted, filterable table as the paginator sees it. */
export interface PageSource<Row> {
  /** Rows in page order starting at `from` (inclusive), honouring range filters. */
  scan(from: number | string | null, backwards: boolean): Iterable<Row>;
  /** Value of the first sort field of a row. */
  keyOf(row: Row): number | string;
  /** Whether the first sort field is a time (cursor shows it as ISO text, like DRF). */
  timeKey: boolean;
}

/** Thrown for a cursor that cannot be decoded; the server answers 404 "Invalid cursor". */
export class InvalidCursor extends Error {}

/**
 * Encodes a cursor like Django REST framework does: base64 of `o=…&r=…&p=…`.
 * @returns the opaque cursor value.
 */
export function encodeCursor(cursor: CursorPosition, timeKey: boolean): string {
  const position = typeof cursor.position === 'number' && timeKey ? isoMicros(cursor.position) : String(cursor.position);
  const params = new URLSearchParams();
  if (cursor.offset) params.set('o', String(cursor.offset));
  if (cursor.previous) params.set('r', '1');
  params.set('p', position);
  return Buffer.from(params.toString()).toString('base64');
}

/**
 * Decodes a cursor made by {@link encodeCursor}.
 * @throws InvalidCursor when it is garbled.
 */
export function decodeCursor(text: string, timeKey: boolean): CursorPosition {
  const decoded = Buffer.from(text, 'base64').toString('utf8');
  if (Buffer.from(decoded).toString('base64').replace(/=+$/, '') !== text.replace(/=+$/, '')) throw new InvalidCursor();
  const params = new URLSearchParams(decoded);
  const raw = params.get('p');
  const offset = Number(params.get('o') ?? '0');
  if (raw === null || !Number.isInteger(offset) || offset < 0) throw new InvalidCursor();
  let position: number | string = raw;
  if (timeKey) {
    const parsed = parseIsoMicros(raw);
    if (parsed === null) throw new InvalidCursor();
    position = parsed;
  }
  return { position, offset, previous: params.get('r') === '1' };
}

/** One page of rows plus the cursors to the neighbouring pages. */
export interface PageSlice<Row> {
  rows: Row[];
  next: CursorPosition | null;
  previous: CursorPosition | null;
}

function take<Row>(
  source: PageSource<Row>,
  cursor: CursorPosition | null,
  backwards: boolean,
  size: number,
): { rows: Row[]; more: boolean } {
  const rows: Row[] = [];
  let skip = cursor?.offset ?? 0;
  for (const row of source.scan(cursor ? cursor.position : null, backwards)) {
    if (skip > 0 && cursor && source.keyOf(row) === cursor.position) {
      skip--;
      continue;
    }
    skip = 0;
    if (rows.length === size) return { rows, more: true };
    rows.push(row);
  }
  return { rows, more: false };
}

function cursorAfter<Row>(source: PageSource<Row>, rows: Row[], start: CursorPosition | null, previous: boolean): CursorPosition {
  const last = source.keyOf(rows[rows.length - 1]!);
  let offset = 0;
  for (let i = rows.length - 1; i >= 0 && source.keyOf(rows[i]!) === last; i--) offset++;
  // When the whole page shares the starting position, the rows skipped to reach it still count.
  if (offset === rows.length && start && start.position === last && start.previous === previous) offset += start.offset;
  return { position: last, offset, previous };
}

/**
 * Cuts one page out of a sorted source, position-based like the server's cursor pagination.
 * @param source the table.
 * @param cursor decoded cursor or null for the first page.
 * @param size page size (250 on real servers).
 * @returns the rows and the next/previous cursors.
 */
export function paginate<Row>(source: PageSource<Row>, cursor: CursorPosition | null, size: number): PageSlice<Row> {
  if (cursor?.previous) {
    const { rows, more } = take(source, cursor, true, size);
    rows.reverse();
    if (rows.length === 0) return { rows, next: null, previous: null };
    return {
      rows,
      next: { position: source.keyOf(rows[rows.length - 1]!), offset: 1, previous: false },
      previous: more ? cursorAfter(source, [...rows].reverse(), cursor, true) : null,
    };
  }
  const { rows, more } = take(source, cursor, false, size);
  return {
    rows,
    next: more && rows.length > 0 ? cursorAfter(source, rows, cursor, false) : null,
    previous: cursor && rows.length > 0 ? { position: source.keyOf(rows[0]!), offset: 1, previous: true } : null,
  };
}

/**
 * Makes a page source from a small array already sorted in page order.
 * @param rows rows in page order.
 * @param keyOf first sort field.
 * @param descending whether page order is descending in that key.
 * @param timeKey whether the key is a time.
 */
export function arraySource<Row>(
  rows: Row[],
  keyOf: (row: Row) => number | string,
  descending: boolean,
  timeKey: boolean,
): PageSource<Row> {
  const before = (a: number | string, b: number | string): boolean => (descending ? a > b : a < b);
  return {
    keyOf,
    timeKey,
    *scan(from, backwards) {
      if (!backwards) {
        for (const row of rows) if (from === null || !before(keyOf(row), from)) yield row;
      } else {
        for (let i = rows.length - 1; i >= 0; i--) {
          const row = rows[i]!;
          if (from === null || !before(from, keyOf(row))) yield row;
        }
      }
    },
  };
}
