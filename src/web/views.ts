import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import nunjucks from 'nunjucks';
import { formatDate, formatDateTime } from '../lib/dates.js';

const viewsDir = fileURLToPath(new URL('../../views', import.meta.url));

/**
 * Configures nunjucks for the app and for e-mails: autoescaping, and the formatting filters
 * templates need (dates in the org's time zone, numbers never abbreviated).
 * @param app the express app, or undefined for a standalone environment (mail, CLI).
 * @returns the nunjucks environment.
 */
export function configureViews(app?: Express): nunjucks.Environment {
  const environment = nunjucks.configure(viewsDir, {
    autoescape: true,
    throwOnUndefined: false,
    noCache: process.env.NODE_ENV === 'development',
    ...(app ? { express: app } : {}),
  });
  environment.addFilter('date', (value: Date | string | null, timeZone = 'UTC', language = 'en') =>
    value ? formatDate(new Date(value), timeZone, language) : '');
  environment.addFilter('datetime', (value: Date | string | null, timeZone = 'UTC', language = 'en') =>
    value ? formatDateTime(new Date(value), timeZone, language) : '');
  environment.addFilter('number', (value: number, language = 'en') => new Intl.NumberFormat(language).format(value));
  if (app) app.set('view engine', 'njk');
  return environment;
}

export { viewsDir };
