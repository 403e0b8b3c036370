import type { NextFunction, Request, Response } from 'express';
import { applyLocale } from './locale.js';
import { HttpError, NotFoundError, TooManyRequestsError } from '../../errors.js';

/**
 * Renders 404 for anything no router answered.
 *
 *   app.use(notFound())
 * @returns the middleware.
 */
export function notFound() {
  return (_req: Request, _res: Response, next: NextFunction) => next(new NotFoundError());
}

/**
 * Turns errors into the error page of their status (404, 403, 429, 400, 500) inside the layout,
 * or JSON for API and chart requests. Unexpected errors are logged with the request id and shown
 * as a plain 500 without details.
 *
 *   app.use(errorHandler())   // last
 * @returns the error middleware.
 */
export function errorHandler() {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const known = error instanceof HttpError ? error : isBodyError(error) ? new HttpError(400, 'Malformed request body') : null;
    const status = known?.status ?? 500;
    if (!known) req.log?.error({ err: error }, 'unhandled error');
    if (known instanceof TooManyRequestsError) res.setHeader('Retry-After', String(known.retryAfterSeconds));
    res.status(status);
    if (wantsJson(req)) return res.json({ error: known?.message ?? 'Internal server error' });
    if (!res.locals.t) applyLocale(req, res);
    // The failure may come before the middleware that sets these (a body parse error, say).
    res.locals.csrfToken ??= () => '';
    res.locals.takeFlash ??= () => [];
    const t = req.t;
    res.render('pages/errors/error.njk', { status, detail: status === 429 || status === 400 ? t(known!.message) : null });
  };
}

function wantsJson(req: Request): boolean {
  return req.path.startsWith('/api/') || req.path.endsWith('.json') || req.accepts(['html', 'json']) === 'json';
}

function isBodyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'type' in error && (error as { type: string }).type === 'entity.parse.failed';
}
