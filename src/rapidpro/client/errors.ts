/** Kinds of RapidPro failures the rest of the app reacts to differently. */
export type RapidProErrorKind = 'invalidToken' | 'throttled' | 'unavailable' | 'badResponse' | 'validation' | 'notFound' | 'conflict' | 'invalidCursor';

/** Base class of every error the client throws; `kind` tells callers how to react. */
export class RapidProError extends Error {
  constructor(
    readonly kind: RapidProErrorKind,
    message: string,
    readonly url: string,
    readonly status: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** 403: the token is wrong, revoked, or lacks permission; stop every job of this workspace. */
export class InvalidTokenError extends RapidProError {
  constructor(url: string, readonly detail: string) {
    super('invalidToken', `RapidPro refused the API token (${detail}) for ${new URL(url).host}. Open the workspace's API settings in RapidPro, copy the token again and save it in TracPro's org settings.`, url, 403);
  }
}

/** 429 that did not clear after the allowed retries; resume at `retryAt`. */
export class ThrottledError extends RapidProError {
  constructor(url: string, readonly scope: string, readonly retryAt: Date) {
    super('throttled', `RapidPro rate limit reached for ${scope} on ${new URL(url).host}; syncing pauses until ${retryAt.toISOString()} and resumes by itself. Raise the workspace's rate limit in RapidPro or lower TracPro's request budget if this happens often.`, url, 429);
  }
}

/** 5xx, timeouts and broken connections that outlasted the retries. */
export class UnavailableError extends RapidProError {
  constructor(url: string, readonly attempts: number, readonly lastProblem: string, readonly writeMayHaveApplied = false, options?: { cause?: unknown }) {
    super(
      'unavailable',
      `RapidPro at ${new URL(url).host} did not answer properly after ${attempts} attempt(s) (last: ${lastProblem}). ${writeMayHaveApplied ? 'The change may or may not have been applied: check RapidPro before repeating it. ' : ''}Check that the server is up and reachable; TracPro will try again on the next cycle.`,
      url,
      null,
      options,
    );
  }
}

/** The answer was not what the API contract says (not JSON, wrong shape, truncated). */
export class BadResponseError extends RapidProError {
  constructor(url: string, status: number, readonly problem: string, options?: { cause?: unknown }) {
    super('badResponse', `RapidPro answered ${new URL(url).pathname} with data TracPro cannot read (${problem}). Check that the configured host is a RapidPro server (API v2) and not a proxy or login page.`, url, status, options);
  }
}

/** 400: the request was rejected; field errors are kept as RapidPro sent them. */
export class ValidationError extends RapidProError {
  constructor(
    url: string,
    readonly fieldErrors: Record<string, unknown>,
    readonly nonField: string[],
    readonly detail: string | null,
  ) {
    const fields = Object.entries(fieldErrors).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
    super('validation', `RapidPro rejected the request: ${[detail, ...nonField, ...fields].filter(Boolean).join('; ')}. Correct the values and try again.`, url, 400);
  }
}

/** 404 on an object lookup, update or delete. */
export class NotFoundError extends RapidProError {
  constructor(url: string, readonly detail: string) {
    super('notFound', `RapidPro has no such object (${detail}) at ${new URL(url).pathname}; it may have been deleted in RapidPro.`, url, 404);
  }
}

/** 404 "Invalid cursor": restart the walk from the watermark. */
export class InvalidCursorError extends RapidProError {
  constructor(url: string) {
    super('invalidCursor', `RapidPro rejected the saved paging cursor for ${new URL(url).pathname}; restart the sync from its watermark.`, url, 404);
  }
}

/** 409: a workspace object limit was reached. */
export class ConflictError extends RapidProError {
  constructor(url: string, readonly detail: string) {
    super('conflict', `RapidPro refused: ${detail} Remove unused objects in RapidPro or ask its administrators to raise the limit.`, url, 409);
  }
}
