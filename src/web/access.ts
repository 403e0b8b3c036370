import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { can, type Capability } from '../policies/index.js';

/** Marks a guard so a test can prove that every route declares who may use it. */
export const ACCESS_RULE = Symbol('accessRule');
export type AccessGuard = RequestHandler & { [ACCESS_RULE]: string };

function guard(rule: string, check: (req: Request, res: Response, next: NextFunction) => void): AccessGuard {
  return Object.assign(check, { [ACCESS_RULE]: rule });
}

function redirectToSignIn(req: Request, res: Response) {
  res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
}

/**
 * Route guards. Every route starts with exactly one (spec D1):
 *   router.get('/users', access.member('users:manage'), handler)
 * anonymous → sign-in; unknown org or non-member → 404; a role without the capability → 403.
 */
export const access = {
  /** Anyone, signed in or not. */
  public: guard('public', (_req, _res, next) => next()),

  /** Any signed-in user. */
  signedIn: guard('signedIn', (req, res, next) => (req.user ? next() : redirectToSignIn(req, res))),

  /** Site operators only; others get 404 so the admin area does not announce itself. */
  superuser: guard('superuser', (req, res, next) => {
    if (!req.user) return redirectToSignIn(req, res);
    next(req.user.isSuperuser ? undefined : new NotFoundError());
  }),

  /**
   * A member of the request's org (or a superuser) who holds the capability.
   * @param capability what the route does.
   * @returns the guard.
   */
  member(capability: Capability): AccessGuard {
    return guard(`member:${capability}`, (req, res, next) => {
      if (!req.user) return redirectToSignIn(req, res);
      const actor = req.actor;
      if (!req.org || !actor || (!actor.role && !actor.isSuperuser)) return next(new NotFoundError());
      next(can(actor, capability) ? undefined : new ForbiddenError());
    });
  },
};
