import { arraySource, decodeCursor, encodeCursor, InvalidCursor, paginate, type PageSource } from '../paging.js';
import { parseIsoMicros } from '../time.js';
import type { Workspace } from '../world/workspace.js';

/** One authenticated API call as the handlers see it. */
export interface ApiRequest {
  ws: Workspace;
  method: string;
  /** Endpoint name without `.json`, e.g. "contacts". */
  endpoint: string;
  query: URLSearchParams;
  body: unknown;
  nowUs: number;
  /** The request's own absolute URL (scheme and host as the client sent them). */
  url: URL;
  pageSize: number;
}

/** A handler's answer: a JSON body (or none for 204). */
export interface ApiResult {
  status: number;
  body?: unknown;
  /** Set by page handlers so fault injection can tamper with `next`. */
  paged?: boolean;
}

/** Thrown by handlers to answer with a RapidPro error body. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`API failure ${status}`);
  }
}

/** 400 with `{"detail": …}`. */
export function badRequest(detail: string): ApiFailure {
  return new ApiFailure(400, { detail });
}

/** 404 `{"detail":"Not found."}`. */
export function notFound(): ApiFailure {
  return new ApiFailure(404, { detail: 'Not found.' });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Tells whether text is a syntactically valid UUID. */
export function isUuid(text: string): boolean {
  return UUID.test(text);
}

/** Reads a boolean query parameter the server's way: true, yes, y, 1 (any case). */
export function boolParam(query: URLSearchParams, name: string): boolean | null {
  const value = query.get(name);
  if (value === null) return null;
  return ['true', 'yes', 'y', '1'].includes(value.toLowerCase());
}

/** Inclusive after/before bounds; an unparseable value makes the whole result empty. */
export function rangeOf(query: URLSearchParams): { lo: number; hi: number; empty: boolean } {
  let lo = Number.NEGATIVE_INFINITY;
  let hi = Number.POSITIVE_INFINITY;
  let empty = false;
  const after = query.get('after');
  const before = query.get('before');
  if (after !== null) {
    const parsed = parseIsoMicros(after);
    if (parsed === null) empty = true;
    else lo = parsed;
  }
  if (before !== null) {
    const parsed = parseIsoMicros(before);
    if (parsed === null) empty = true;
    else hi = parsed;
  }
  return { lo, hi, empty };
}

/**
 * Builds one page response: decodes the cursor, cuts the page, renders rows and the links.
 * @returns the `{next, previous, results}` body.
 */
export function pageOf<Row>(req: ApiRequest, source: PageSource<Row>, render: (row: Row) => unknown): ApiResult {
  const raw = req.query.get('cursor');
  let cursor = null;
  if (raw !== null) {
    try {
      cursor = decodeCursor(raw, source.timeKey);
    } catch (error) {
      if (error instanceof InvalidCursor) throw new ApiFailure(404, { detail: 'Invalid cursor' });
      throw error;
    }
  }
  const slice = paginate(source, cursor, req.pageSize);
  const link = (position: typeof cursor): string | null => {
    if (!position) return null;
    const url = new URL(req.url.href);
    url.searchParams.set('cursor', encodeCursor(position, source.timeKey));
    return url.href;
  };
  return { status: 200, paged: true, body: { next: link(slice.next), previous: link(slice.previous), results: slice.rows.map(render) } };
}

/**
 * A page source over one of the large indexed stores, honouring direction, range and a row filter.
 * @param only the one row a lookup (by uuid) can return, or -2 for no lookup.
 * @returns the source.
 */
export function indexSource(
  index: { ascending(lo: number, hi: number): Iterable<number>; descending(lo: number, hi: number): Iterable<number> },
  keyOf: (row: number) => number,
  ascendingOrder: boolean,
  range: { lo: number; hi: number; empty: boolean },
  accept: (row: number) => boolean,
  only = -2,
): PageSource<number> {
  return {
    keyOf,
    timeKey: true,
    *scan(from, backwards) {
      if (range.empty) return;
      const forward = ascendingOrder !== backwards;
      const position = typeof from === 'number' ? from : null;
      // A lookup of one row (by uuid) reads only the rows sharing its key, not the whole table.
      const own = only >= 0 ? keyOf(only) : null;
      const lo = Math.max(forward && position !== null ? Math.max(range.lo, position) : range.lo, own ?? -Infinity);
      const hi = Math.min(!forward && position !== null ? Math.min(range.hi, position) : range.hi, own ?? Infinity);
      for (const row of forward ? index.ascending(lo, hi) : index.descending(lo, hi)) if (accept(row)) yield row;
    },
  };
}

/** A page source over a small array, sorted here. */
export function smallSource<Row>(rows: Row[], keyOf: (row: Row) => number | string, descending: boolean, timeKey = true): PageSource<Row> {
  const sorted = [...rows].sort((a, b) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    const order = ka < kb ? -1 : ka > kb ? 1 : 0;
    return descending ? -order : order;
  });
  return arraySource(sorted, keyOf, descending, timeKey);
}
