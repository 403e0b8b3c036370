import { RequestBudget, type BudgetRate } from './budget.js';
import { BadResponseError, ConflictError, InvalidCursorError, InvalidTokenError, NotFoundError, ThrottledError, UnavailableError, ValidationError } from './errors.js';

/** The logger methods the client uses (pino-compatible). */
export interface ClientLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Retry and backoff settings; tests shrink them to milliseconds. */
export interface RetryOptions {
  /** First backoff for 5xx/timeouts/broken bodies (ms). Default 1,000. */
  baseMs: number;
  /** Longest single wait (ms). Default 15 minutes. */
  capMs: number;
  /** Attempts for a GET failing with 5xx/timeouts before giving up. Default 4 (3 retries). */
  maxAttempts: number;
  /** First backoff after a 429 without Retry-After (ms). Default 30,000. */
  throttleBaseMs: number;
  /** Consecutive 429s on one request before giving up with ThrottledError. Default 5. */
  maxThrottles: number;
}

/** Options of the transport and the client. */
export interface TransportOptions {
  /** Server root, e.g. `https://rapidpro.example.org` (with or without `/api/v2`). */
  baseUrl: string;
  /** API token of the workspace. */
  token: string;
  /** Per-attempt timeout covering headers and body (ms). Default 30,000. */
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  /** Shared budget instance, a rate, or null for none. Default: 1,250 requests/hour per scope. */
  budget?: RequestBudget | BudgetRate | null;
  logger?: ClientLogger;
  /** Injectable sleep (tests). */
  sleep?: (ms: number) => Promise<void>;
  /** Injectable randomness for jitter (tests). */
  random?: () => number;
  userAgent?: string;
}

/** One HTTP answer after JSON decoding. */
export interface ApiResponse {
  status: number;
  body: unknown;
  url: string;
}

/** Whether a failed request may be repeated automatically. */
export type RetryMode = 'safe' | 'never';

const DEFAULT_RETRY: RetryOptions = { baseMs: 1000, capMs: 15 * 60_000, maxAttempts: 4, throttleBaseMs: 30_000, maxThrottles: 5 };

/** Maps a path to its throttle scope (spec §3). */
export function scopeOfPath(path: string): string {
  if (path.startsWith('contacts.')) return 'v2.contacts';
  if (path.startsWith('runs.')) return 'v2.runs';
  if (path.startsWith('messages.')) return 'v2.messages';
  return 'v2';
}

class Transient extends Error {}

/**
 * Sends API requests: budget pacing, timeouts, retries with capped exponential backoff and
 * jitter, throttling, error typing, server time from `Date`, and one log line per attempt.
 */
export class Transport {
  readonly apiRoot: string;
  readonly retry: RetryOptions;
  readonly budget: RequestBudget;
  private lastServerDate: Date | null = null;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(readonly options: TransportOptions) {
    this.apiRoot = `${options.baseUrl.replace(/\/+$/, '').replace(/\/api\/v2$/, '')}/api/v2/`;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.budget = options.budget instanceof RequestBudget ? options.budget : new RequestBudget(options.budget === undefined ? undefined : options.budget);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  /** Server time from the last `Date` header seen, or null before the first answer. */
  serverTime(): Date | null {
    return this.lastServerDate;
  }

  /** The backoff before attempt n+1 (n ≥ 1): capped exponential with ±10% jitter. */
  backoff(base: number, attempt: number): number {
    const raw = Math.min(this.retry.capMs, base * 2 ** (attempt - 1));
    return Math.min(this.retry.capMs, raw * (0.9 + this.random() * 0.2));
  }

  /** Builds the URL of an endpoint with query parameters. */
  url(path: string, query: Record<string, string | string[] | undefined> = {}): string {
    const url = new URL(path, this.apiRoot);
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, v);
    }
    return url.href;
  }

  /**
   * Sends one request, retrying what is safe to retry.
   * @param method HTTP verb.
   * @param path endpoint path relative to `/api/v2/`, e.g. `contacts.json`.
   * @param init query, JSON body and retry mode (writes that are not idempotent pass 'never').
   * @returns status and decoded body.
   */
  async request(method: string, path: string, init: { query?: Record<string, string | string[] | undefined>; body?: unknown; retry?: RetryMode } = {}): Promise<ApiResponse> {
    const url = this.url(path, init.query);
    const scope = scopeOfPath(path);
    let failures = 0;
    let throttles = 0;
    for (;;) {
      for (let wait = this.budget.take(scope); wait > 0; wait = this.budget.take(scope)) await this.sleep(wait);
      const started = performance.now();
      let response: Response;
      let text: string;
      try {
        response = await fetch(url, {
          method,
          headers: { Authorization: `Token ${this.options.token}`, Accept: 'application/json', 'Content-Type': 'application/json', 'User-Agent': this.options.userAgent ?? 'TracPro/0.1 (RapidPro API client)' },
          body: init.body === undefined ? undefined : JSON.stringify(init.body),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
        });
        text = await response.text();
      } catch (error) {
        const problem = (error as Error).name === 'TimeoutError' ? 'timeout' : `connection failed (${(error as Error).message})`;
        this.logAttempt(method, url, scope, null, started, problem);
        failures++;
        if (init.retry === 'never' || failures >= this.retry.maxAttempts) throw new UnavailableError(url, failures, problem, init.retry === 'never', { cause: error });
        await this.sleep(this.backoff(this.retry.baseMs, failures));
        continue;
      }
      const date = response.headers.get('date');
      if (date && Number.isFinite(Date.parse(date))) this.lastServerDate = new Date(Date.parse(date));
      this.logAttempt(method, url, scope, response.status, started, null);
      if (response.status === 429) {
        throttles++;
        const header = response.headers.get('retry-after');
        const seconds = header !== null && /^\d+$/.test(header.trim()) ? Number(header) : null;
        const wait = seconds !== null ? seconds * 1000 * (1 + this.random() * 0.1) : this.backoff(this.retry.throttleBaseMs, throttles);
        if (throttles >= this.retry.maxThrottles) {
          throw new ThrottledError(url, scope, new Date((this.lastServerDate?.getTime() ?? Date.now()) + wait));
        }
        await this.sleep(wait);
        continue;
      }
      try {
        return { status: response.status, body: this.interpret(url, response.status, text), url };
      } catch (error) {
        if (!(error instanceof Transient)) throw error;
        failures++;
        if (init.retry === 'never' || failures >= this.retry.maxAttempts) {
          throw response.ok ? new BadResponseError(url, response.status, error.message) : new UnavailableError(url, failures, error.message, init.retry === 'never');
        }
        await this.sleep(this.backoff(this.retry.baseMs, failures));
      }
    }
  }

  private interpret(url: string, status: number, text: string): unknown {
    if (status >= 500) throw new Transient(`HTTP ${status}`);
    if (status === 204) return null;
    let body: unknown;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      if (status < 300) throw new Transient(`HTTP ${status} with a body that is not complete JSON (${text.length} bytes)`);
      throw new BadResponseError(url, status, `HTTP ${status} with a non-JSON body`);
    }
    if (status < 300) return body;
    const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const detail = typeof record.detail === 'string' ? record.detail : null;
    if (status === 400) {
      const { detail: _d, non_field_errors: nonField, ...fields } = record;
      return this.fail(new ValidationError(url, fields, Array.isArray(nonField) ? nonField.map(String) : [], detail));
    }
    if (status === 401 || status === 403) return this.fail(new InvalidTokenError(url, detail ?? `HTTP ${status}`));
    if (status === 404) return this.fail(detail?.toLowerCase().includes('cursor') ? new InvalidCursorError(url) : new NotFoundError(url, detail ?? 'Not found.'));
    if (status === 409) return this.fail(new ConflictError(url, detail ?? 'limit reached.'));
    return this.fail(new BadResponseError(url, status, detail ?? `unexpected HTTP ${status}`));
  }

  private fail(error: Error): never {
    throw error;
  }

  private logAttempt(method: string, url: string, scope: string, status: number | null, started: number, problem: string | null): void {
    const entry = { method, url, scope, status, latencyMs: Math.round(performance.now() - started), ...(problem ? { problem } : {}) };
    if (status !== null && status < 400) this.options.logger?.info(entry, 'rapidpro request');
    else this.options.logger?.warn(entry, 'rapidpro request failed');
  }
}
