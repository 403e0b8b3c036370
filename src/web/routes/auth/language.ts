import type { Request, Response } from 'express';
import { db } from '../../../db/client.js';
import { isSupported } from '../../../i18n/index.js';
import { safeNext } from '../../../lib/safeNext.js';
import { LanguageSchema } from './schema.js';

/** POST /language: remembers the choice in the session, and on the account when signed in. */
export async function update(req: Request, res: Response) {
  const parsed = LanguageSchema.safeParse(req.body);
  const language = parsed.success ? parsed.data.language : undefined;
  if (isSupported(language)) {
    req.session.language = language;
    if (req.user) await db().user.update({ where: { id: req.user.id }, data: { language } });
  }
  res.redirect(303, safeNext(parsed.data?.next));
}
