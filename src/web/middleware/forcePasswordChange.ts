import type { NextFunction, Request, Response } from 'express';

const ALLOWED = ['/profile', '/logout', '/language', '/static/', '/healthz'];

/**
 * Sends a user who must change their password to their profile until they do (spec §4.4).
 *
 *   app.use(forcePasswordChange())   // after locale
 * @returns the middleware.
 */
export function forcePasswordChange() {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.user?.mustChangePassword || ALLOWED.some((p) => req.path === p || req.path.startsWith(p))) return next();
    if (req.method === 'GET') req.flash('info', req.t('Please choose a new password before you go on.'));
    res.redirect(303, '/profile');
  };
}
