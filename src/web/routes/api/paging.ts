/** The position a cursor points at, and which way the page it opens runs from there. */
interface Cursor {
  /** `older`: the page after (rows strictly older); `newer`: the page before (rows strictly newer). */
  direction: 'older' | 'newer';
  createdAt: Date;
  id: string;
}

type Row = { createdAt: Date; id: string };
type Order = 'asc' | 'desc';
type Bound<V> = { lt: V } | { gt: V };

/** What a list query adds to its own filters: the cursor's bound, the order and the page size. */
export interface PageWindow {
  where: { OR?: [{ createdAt: Bound<Date> }, { createdAt: Date; id: Bound<string> }] };
  orderBy: [{ createdAt: Order }, { id: Order }];
  take: number;
}

/** A page of a newest-first list (spec §4.2). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  prevCursor: string | null;
}

const MARK = { older: 'o', newer: 'n' } as const;

function encode(direction: Cursor['direction'], row: Row): string {
  return Buffer.from(`${MARK[direction]}|${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
}

function decode(cursor: string | undefined): Cursor | null {
  if (!cursor) return null;
  const [mark, at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  const direction = mark === MARK.newer ? 'newer' : mark === MARK.older ? 'older' : null;
  if (!direction || Number.isNaN(createdAt.getTime()) || !id) return null;
  return { direction, createdAt, id };
}

/** Rows strictly beyond a row in a direction, in the order that walks away from it. */
function beyond(direction: Cursor['direction'], row: Row | null, take: number): PageWindow {
  const order = direction === 'older' ? 'desc' : 'asc';
  const past = <V>(value: V): Bound<V> => (direction === 'older' ? { lt: value } : { gt: value });
  const where = row ? { OR: [{ createdAt: past(row.createdAt) }, { createdAt: row.createdAt, id: past(row.id) }] as PageWindow['where']['OR'] } : {};
  return { where, orderBy: [{ createdAt: order }, { id: order }], take };
}

/**
 * Reads one page of a newest-first list (`createdAt` desc, `id` desc) with cursors both ways: a
 * next cursor reads on into older rows, a prev cursor back into newer ones; each is null when
 * nothing lies that way. An unreadable cursor reads the first page (unknown input is ignored).
 *
 *   const page = await paginate((w) => scoped.registration.findMany({ ...w, where: { AND: [filters, w.where] } }), q.cursor, q.limit);
 * @param find runs the list query with the window's filter, order and size added to its own filters.
 * @param cursor the cursor from a previous page, if any.
 * @param limit the page size.
 * @returns the page, newest first.
 */
export async function paginate<T extends Row>(find: (window: PageWindow) => Promise<T[]>, cursor: string | undefined, limit: number): Promise<Page<T>> {
  const at = decode(cursor);
  const direction = at?.direction ?? 'older';
  const rows = await find(beyond(direction, at, limit + 1));
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  if (direction === 'newer') items.reverse();
  const [first, last] = [items[0], items.at(-1)];
  if (!first || !last) return { items, nextCursor: null, prevCursor: null };
  // The way the page was read, one row too many tells; the other way needs a look only past a cursor.
  const exists = async (way: Cursor['direction'], from: Row) => at !== null && (await find(beyond(way, from, 1))).length > 0;
  const [older, newer] = direction === 'older' ? [more, await exists('newer', first)] : [await exists('older', last), more];
  return { items, nextCursor: older ? encode('older', last) : null, prevCursor: newer ? encode('newer', first) : null };
}
