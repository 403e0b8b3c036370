import type { NextFunction, Request, Response } from 'express';

/**
 * Flash messages kept in the session until the next rendered page.
 *
 *   req.flash('success', req.t('Saved.')); res.redirect('/users')
 * @returns the middleware.
 */
export function flash() {
  return (req: Request, res: Response, next: NextFunction) => {
    req.flash = (type, message) => {
      req.session.flash = [...(req.session.flash ?? []), { type, message }];
    };
    res.locals.takeFlash = () => {
      const messages = req.session.flash ?? [];
      if (messages.length) delete req.session.flash;
      return messages;
    };
    next();
  };
}
