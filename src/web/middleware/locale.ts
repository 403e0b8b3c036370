import type { NextFunction, Request, Response } from 'express';
import { fromAcceptLanguage, isSupported, LANGUAGE_NAMES, RTL_LANGUAGES, SUPPORTED_LANGUAGES, translator } from '../../i18n/index.js';

/**
 * Negotiates the UI language: the user's own choice (profile, or the switcher for visitors), then
 * the org default, then Accept-Language, then English. Exposes t, lang and dir to templates.
 *
 *   app.use(locale())   // after loadOrg
 * @returns the middleware.
 */
export function locale() {
  return (req: Request, res: Response, next: NextFunction) => {
    applyLocale(req, res);
    next();
  };
}

/**
 * Sets the request's language and the template locals that depend on it (also used by the error
 * handler when a request failed before the locale middleware ran).
 * @param req the request.
 * @param res the response.
 */
export function applyLocale(req: Request, res: Response): void {
  {
    const candidates = [req.user?.language, req.session?.language, req.org?.defaultLanguage];
    const language = candidates.find(isSupported) ?? fromAcceptLanguage(req.headers['accept-language']) ?? 'en';
    req.language = language;
    req.t = translator(language);
    res.locals.t = req.t;
    res.locals.lang = language;
    res.locals.dir = RTL_LANGUAGES.has(language) ? 'rtl' : 'ltr';
    const offered = req.org ? [...new Set([...req.org.languages, language])] : [...SUPPORTED_LANGUAGES];
    res.locals.languages = offered.filter(isSupported).map((code) => ({ code, name: LANGUAGE_NAMES[code] }));
    res.locals.allLanguages = SUPPORTED_LANGUAGES.map((code) => ({ code, name: LANGUAGE_NAMES[code] }));
  }
}
