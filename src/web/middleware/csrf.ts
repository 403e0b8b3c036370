import type { NextFunction, Request, Response } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import { env } from '../../env.js';
import { ForbiddenError } from '../../errors.js';
import { sameOrigin } from '../sameOrigin.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function build() {
  const config = env();
  return doubleCsrf({
    getSecret: () => config.secretKey,
    getSessionIdentifier: (req) => req.session.id,
    cookieName: `${config.SESSION_COOKIE_NAME}.csrf`,
    cookieOptions: { domain: config.baseHostname, sameSite: 'lax', secure: config.cookieSecure, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req) => {
      const token = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.headers['x-csrf-token'];
      return typeof token === 'string' ? token : null;
    },
  });
}

/**
 * Double-submit CSRF protection on every state-changing request, with the token tied to the
 * session (the token-authenticated JSON API under /api/v1 is exempt). Pages call `csrfToken()` in templates; the first call saves the session so its id (and
 * so the token) stays stable for an anonymous visitor. Bull-board's own API (superusers only) gets
 * a same-origin check instead, since its UI cannot send our token.
 *
 *   app.use(csrfProtection())
 * @returns the middleware.
 */
export function csrfProtection() {
  const { doubleCsrfProtection, generateCsrfToken } = build();
  return (req: Request, res: Response, next: NextFunction) => {
    let token: string | undefined;
    res.locals.csrfToken = () => {
      req.session.csrfReady = true;
      // One token per page, and the cookie's token is kept while valid, so several tabs keep working.
      token ??= generateCsrfToken(req, res, { overwrite: false });
      return token;
    };
    if (SAFE_METHODS.has(req.method)) return next();
    // The JSON API authenticates each request with its own token, never with the session cookie.
    if (req.path.startsWith('/api/v1/')) return next();
    if (req.path.startsWith('/manage/queues/')) {
      return sameOrigin(req) ? next() : next(new ForbiddenError('Cross-site request refused'));
    }
    doubleCsrfProtection(req, res, (error?: unknown) => next(error ? new ForbiddenError('Invalid CSRF token') : undefined));
  };
}

