/** An error that maps to an HTTP status and the error page of the same number. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The subject does not exist, or belongs to an org the actor may not see (never say which). */
export class NotFoundError extends HttpError {
  constructor(message = 'Not found') {
    super(404, message);
  }
}

/** The actor is a member but their role lacks the capability. */
export class ForbiddenError extends HttpError {
  constructor(message = 'Forbidden') {
    super(403, message);
  }
}

/** Too many attempts; the message says when to try again. */
export class TooManyRequestsError extends HttpError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, message);
  }
}

/** Input failed validation; fields maps a field name to its message. */
export class ValidationError extends HttpError {
  constructor(readonly fields: Record<string, string>) {
    super(400, Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('; '));
  }
}
