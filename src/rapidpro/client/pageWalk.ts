import type { z } from 'zod';
import { BadResponseError } from './errors.js';
import { PageSchema } from './schemas.js';
import type { Transport } from './transport.js';

/** One page of a walk and the cursor to resume after it. */
export interface WalkPage<T> {
  items: T[];
  /** Cursor of the next page (persist it to resume), null after the last page. */
  nextCursor: string | null;
}

/**
 * A cursor walk over a list endpoint: iterate rows with `for await`, or pages with `pages()` to
 * checkpoint the cursor. `next` links are re-based on the configured URL (only their `cursor` is
 * used), and the walk stops at `next: null` or an empty page.
 */
export class PageWalk<T> implements AsyncIterable<T> {
  constructor(
    private readonly transport: Transport,
    private readonly path: string,
    private readonly query: Record<string, string | string[] | undefined>,
    private readonly schema: z.ZodType<T>,
    private readonly startCursor: string | null = null,
  ) {}

  /** Yields page after page. */
  async *pages(): AsyncGenerator<WalkPage<T>> {
    let cursor = this.startCursor;
    for (;;) {
      const response = await this.transport.request('GET', this.path, { query: { ...this.query, ...(cursor ? { cursor } : {}) } });
      const page = PageSchema.safeParse(response.body);
      if (!page.success) throw new BadResponseError(response.url, response.status, `not a page: ${page.error.issues[0]?.message ?? 'invalid'}`);
      const items = page.data.results.map((row, index) => {
        const parsed = this.schema.safeParse(row);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new BadResponseError(response.url, response.status, `row ${index}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`, { cause: parsed.error });
        }
        return parsed.data;
      });
      const next = page.data.next ? new URL(page.data.next, this.transport.apiRoot).searchParams.get('cursor') : null;
      yield { items, nextCursor: items.length === 0 ? null : next };
      if (!next || items.length === 0) return;
      cursor = next;
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for await (const page of this.pages()) yield* page.items;
  }

  /** Collects every row (for small lists). */
  async all(): Promise<T[]> {
    const rows: T[] = [];
    for await (const row of this) rows.push(row);
    return rows;
  }
}
