import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import { clearSignInFailures, recordSignInFailure, signInBlockedFor } from '../../../auth/signInLimiter.js';
import type { CurrentUser } from '../../../auth/currentUser.js';
import { TooManyRequestsError } from '../../../errors.js';
import { safeNext } from '../../../lib/safeNext.js';
import { parseForm } from '../../middleware/validate.js';
import { translateErrors } from '../../forms.js';
import { AuthSignInSchema } from './schema.js';

const PAGE = 'pages/auth/signIn.njk';

/** GET /login: the sign-in form (signed-in users go straight on). */
export function show(req: Request, res: Response) {
  if (req.user) return res.redirect(safeNext(req.query.next));
  res.render(PAGE, { values: { next: safeNext(req.query.next, '') }, errors: {} });
}

/**
 * POST /login: checks the limits (10 failures per account, 100 per address per window), then the
 * password; a failure counts against both, and every failure gets the same generic message.
 */
export async function create(req: Request, res: Response, next: NextFunction) {
  const { data, errors } = parseForm(AuthSignInSchema, req.body);
  if (!data) return res.render(PAGE, { values: req.body, errors: translateErrors(errors, req.t) });
  const address = req.ip ?? 'unknown';
  const wait = await signInBlockedFor(data.email, address);
  if (wait > 0) {
    const minutes = Math.ceil(wait / 60);
    return next(new TooManyRequestsError(req.t('Too many failed sign-in attempts. Try again in {{count}} minutes.', { count: minutes }), wait));
  }
  passport.authenticate('local', (error: unknown, user: CurrentUser | false) => {
    if (error) return next(error);
    if (!user) {
      return recordSignInFailure(data.email, address).then(() => {
        res.status(401).render(PAGE, { values: { email: data.email, next: data.next }, errors: { form: req.t('Wrong e-mail or password.') } });
      }, next);
    }
    req.logIn(user, (loginError) => {
      if (loginError) return next(loginError);
      clearSignInFailures(data.email).then(() => res.redirect(303, safeNext(data.next)), next);
    });
  })(req, res, next);
}

/** POST /logout: ends the session everywhere (it is shared by all org subdomains). */
export function destroy(req: Request, res: Response, next: NextFunction) {
  req.logOut((error) => {
    if (error) return next(error);
    req.session.destroy(() => res.redirect(303, '/login'));
  });
}
