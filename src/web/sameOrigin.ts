import type { Request } from 'express';

/**
 * Tells whether a request comes from a page of the same host (Origin, or Sec-Fetch-Site when the
 * browser sends no Origin). Used where a CSRF token cannot be sent: bull-board's UI and the JSON API
 * used with a session.
 * @param req the request.
 * @returns true for same-origin requests.
 */
export function sameOrigin(req: Request): boolean {
  const origin = req.headers.origin;
  if (!origin) return req.headers['sec-fetch-site'] === 'same-origin';
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
