import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import { HttpError, ValidationError } from '../../../errors.js';

/** An API error with a machine code and, for 400s, the problems per field (spec §4.2). */
export class ApiError extends HttpError {
  constructor(
    status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string[]> = {},
  ) {
    super(status, message);
  }
}

/**
 * Turns zod issues into field → problems.
 * @param error the zod error.
 * @returns the field map.
 */
export function issuesByField(error: z.ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) (fields[issue.path.join('.') || 'body'] ??= []).push(issue.message);
  return fields;
}

/**
 * Parses input with a schema or throws a 400 `invalid_request` with field errors.
 * @param schema the endpoint's schema.
 * @param input body or query.
 * @returns the parsed input.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw new ApiError(400, 'invalid_request', 'The request is not valid.', issuesByField(result.error));
  return result.data;
}

/**
 * The answer to a body that is not JSON, or not sent as JSON (spec §4.3: 400 `invalid_json`).
 * @returns the error.
 */
export function invalidJson(): ApiError {
  return new ApiError(400, 'invalid_json', 'Send a JSON body (Content-Type: application/json).');
}

const CODES: Record<number, string> = { 400: 'invalid_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 429: 'too_many_requests' };

/**
 * Answers API errors as `{ error: { code, message, fields } }` (spec §4.2); unexpected errors are
 * logged and answered 500 without details.
 *
 *   apiRouter.use(apiErrors())   // last in the API router
 * @returns the error middleware.
 */
export function apiErrors() {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    if (error instanceof ApiError) return send(res, error);
    if (error instanceof ValidationError) {
      const fields = Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [k, [v]]));
      return res.status(400).json({ error: { code: 'invalid_request', message: error.message, fields } });
    }
    if (error instanceof HttpError) return res.status(error.status).json({ error: { code: CODES[error.status] ?? 'error', message: error.message, fields: {} } });
    req.log?.error({ err: error }, 'unhandled API error');
    res.status(500).json({ error: { code: 'internal_error', message: 'Internal server error', fields: {} } });
  };
}

function send(res: Response, error: ApiError) {
  res.status(error.status).json({ error: { code: error.code, message: error.message, fields: error.fields } });
}

/**
 * Answers a body the JSON parser refused with the API's `invalid_json` envelope. The parser runs
 * before any router, so its error would otherwise reach the page error handler.
 *
 *   app.use(express.json()); app.use('/api/v1', apiBodyErrors())
 * @returns the error middleware.
 */
export function apiBodyErrors() {
  return (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const unparsable = typeof error === 'object' && error !== null && (error as { type?: unknown }).type === 'entity.parse.failed';
    if (unparsable && !res.headersSent) return send(res, invalidJson());
    next(error);
  };
}
