import { z } from 'zod';

/** A call to an external service failed (network, status, or a response that does not parse). */
export class AdapterError extends Error {
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'AdapterError';
  }
}

/** Options of an HTTP service client. */
export interface HttpClientOptions {
  /** Base URL; paths are resolved against it. */
  baseUrl: string;
  /** The Authorization header value, if any ("Token …", "Basic …"). */
  authorization?: string;
  /** Per-request timeout (spec §10: 10 s). */
  timeoutMs?: number;
  /** Attempts on 5xx and network errors, with exponential backoff. */
  attempts?: number;
  /** First backoff delay. */
  backoffMs?: number;
}

/**
 * A small JSON client for the seed services: timeouts, retries with backoff on 5xx and network
 * errors, and every response checked with zod before use.
 */
export class HttpClient {
  constructor(private readonly options: HttpClientOptions) {}

  /**
   * Sends a request and parses its JSON answer.
   * @param method HTTP method.
   * @param path path relative to the base URL (or an absolute `next` link).
   * @param schema the expected response shape; null to ignore the body.
   * @param body a JSON body.
   * @returns the parsed body, or null for 404 when allowNotFound is set.
   */
  async request<S extends z.ZodType>(method: string, path: string, schema: S | null, body?: unknown, allowNotFound = false): Promise<z.infer<S> | null> {
    const { attempts = 3, backoffMs = 200, timeoutMs = 10_000 } = this.options;
    const url = /^https?:\/\//.test(path) ? path : new URL(path, this.options.baseUrl.endsWith('/') ? this.options.baseUrl : `${this.options.baseUrl}/`).toString();
    let lastError: AdapterError = new AdapterError('no attempt made');
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await fetch(url, {
          method,
          headers: { Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...(this.options.authorization ? { Authorization: this.options.authorization } : {}) },
          body: body !== undefined ? JSON.stringify(body) : undefined,
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (response.status === 404 && allowNotFound) return null;
        if (response.status >= 500) throw new AdapterError(`${method} ${url} answered ${response.status}`, response.status);
        if (!response.ok) {
          // A 4xx will not get better by retrying.
          throw Object.assign(new AdapterError(`${method} ${url} answered ${response.status}`, response.status), { final: true });
        }
        if (!schema) return null;
        const json: unknown = await response.json().catch(() => {
          throw Object.assign(new AdapterError(`${method} ${url}: response is not JSON`), { final: true });
        });
        const parsed = schema.safeParse(json);
        if (!parsed.success) throw Object.assign(new AdapterError(`${method} ${url}: unexpected response (${parsed.error.issues[0]?.message})`), { final: true });
        return parsed.data;
      } catch (error) {
        lastError = error instanceof AdapterError ? error : new AdapterError(`${method} ${url}: ${(error as Error).message}`);
        if ((error as { final?: boolean }).final || attempt === attempts) break;
        await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (attempt - 1)));
      }
    }
    throw lastError;
  }

  /**
   * Reads a paginated list, following its `next` links (at most MAX_PAGES pages).
   * @param path the first page's path.
   * @param item the shape of one result.
   * @returns every result, in order.
   */
  async pages<S extends z.ZodType>(path: string, item: S): Promise<z.infer<S>[]> {
    const all: z.infer<S>[] = [];
    let next: string | null = path;
    for (let pages = 0; next && pages < MAX_PAGES; pages++) {
      const page: { next: string | null; results: z.infer<S>[] } = (await this.request('GET', next, pageOf(item)))!;
      all.push(...page.results);
      next = page.next;
    }
    return all;
  }
}

/** The most pages one list read follows. */
const MAX_PAGES = 100;

/**
 * The shape of a page of the seed services' lists.
 * @param item the shape of one result.
 * @returns the page schema.
 */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ next: z.string().nullable().default(null), results: z.array(item) });
}

/**
 * Makes one call per item, one after the other, and records each item's outcome instead of
 * stopping at the first failure (a batch over an API that takes one item per request).
 * @param items the items.
 * @param call the request for one item.
 * @returns null for each item that went through, else its error message.
 */
export async function eachSettled<T>(items: T[], call: (item: T) => Promise<unknown>): Promise<(string | null)[]> {
  const outcomes: (string | null)[] = [];
  for (const item of items) {
    try {
      await call(item);
      outcomes.push(null);
    } catch (error) {
      outcomes.push((error as Error).message);
    }
  }
  return outcomes;
}
