import type { Request, Response } from 'express';
import { db } from '../../../db/client.js';
import { NotFoundError } from '../../../errors.js';
import { paginate } from '../../../lib/pagination.js';
import { idParam } from '../../forms.js';

/** GET /manage/outbox: mail kept in Postgres (MAIL_URL=outbox), newest first. */
export async function index(req: Request, res: Response) {
  const total = await db().outboxMail.count();
  const pager = paginate(Number(req.query.page) || 1, total);
  const mails = await db().outboxMail.findMany({ orderBy: { id: 'desc' }, skip: pager.skip, take: pager.take });
  res.render('pages/manage/outbox/index.njk', { mails, pager: { ...pager, total } });
}

/** GET /manage/outbox/:id */
export async function show(req: Request, res: Response) {
  const mail = await db().outboxMail.findUnique({ where: { id: idParam(req.params) } });
  if (!mail) throw new NotFoundError();
  res.render('pages/manage/outbox/show.njk', { mail });
}
