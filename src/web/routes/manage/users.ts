import type { Request, Response } from 'express';
import { hashPassword, passwordProblem } from '../../../auth/passwords.js';
import { createUser, emailTaken } from '../../../commands/userCreator.js';
import { db } from '../../../db/client.js';
import { NotFoundError } from '../../../errors.js';
import { paginate } from '../../../lib/pagination.js';
import { idParam, translateErrors } from '../../forms.js';
import { parseForm } from '../../middleware/validate.js';
import { ManageUserCreateSchema, ManageUserUpdateSchema } from './schema.js';
import { msg } from '../../../i18n/msg.js';

/** GET /manage/users: every account with its orgs. */
export async function index(req: Request, res: Response) {
  const page = Number(req.query.page) || 1;
  const total = await db().user.count();
  const pager = paginate(page, total);
  const users = await db().user.findMany({
    orderBy: [{ isActive: 'desc' }, { name: 'asc' }],
    skip: pager.skip,
    take: pager.take,
    include: { memberships: { where: { isActive: true }, include: { org: { select: { name: true, subdomain: true } } } } },
  });
  res.render('pages/manage/users/index.njk', { users, pager: { ...pager, total } });
}

/** GET /manage/users/new */
export function newForm(_req: Request, res: Response) {
  res.render('pages/manage/users/form.njk', { values: { mustChangePassword: true }, errors: {} });
}

/** POST /manage/users */
export async function create(req: Request, res: Response) {
  const { data, errors } = parseForm(ManageUserCreateSchema, req.body);
  const problems: Record<string, string> = { ...errors };
  if (data) {
    const weak = passwordProblem(data.password, data.email);
    if (weak) problems.password = weak;
    if (await emailTaken(data.email)) problems.email = msg('Another account already uses this e-mail.');
  }
  if (!data || Object.keys(problems).length) {
    return res.render('pages/manage/users/form.njk', { values: req.body, errors: translateErrors(problems, req.t) });
  }
  await createUser(data);
  req.flash('success', req.t('Account created.'));
  res.redirect(303, '/manage/users');
}

/** GET /manage/users/:id/edit */
export async function edit(req: Request, res: Response) {
  const user = await db().user.findUnique({ where: { id: idParam(req.params) } });
  if (!user) throw new NotFoundError();
  res.render('pages/manage/users/form.njk', { user, values: user, errors: {} });
}

/** POST /manage/users/:id: a blank password keeps the current one. Superusers cannot demote or deactivate themselves. */
export async function update(req: Request, res: Response) {
  const user = await db().user.findUnique({ where: { id: idParam(req.params) } });
  if (!user) throw new NotFoundError();
  const { data, errors } = parseForm(ManageUserUpdateSchema, req.body);
  const problems: Record<string, string> = { ...errors };
  if (data) {
    if (data.password) {
      const weak = passwordProblem(data.password, data.email);
      if (weak) problems.password = weak;
    }
    if (await emailTaken(data.email, user.id)) problems.email = msg('Another account already uses this e-mail.');
    if (user.id === req.user!.id && (!data.isSuperuser || !data.isActive)) problems.isSuperuser = msg('You cannot demote or deactivate yourself.');
  }
  if (!data || Object.keys(problems).length) {
    return res.render('pages/manage/users/form.njk', { user, values: { ...user, ...req.body }, errors: translateErrors(problems, req.t) });
  }
  const passwordHash = data.password ? await hashPassword(data.password) : undefined;
  await db().user.update({
    where: { id: user.id },
    data: { name: data.name, email: data.email, isSuperuser: data.isSuperuser, isActive: data.isActive, ...(passwordHash ? { passwordHash } : {}) },
  });
  req.flash('success', req.t('Account saved.'));
  res.redirect(303, '/manage/users');
}

/** POST /manage/users/:id/deactivate: the account can no longer sign in anywhere. */
export async function deactivate(req: Request, res: Response) {
  const id = idParam(req.params);
  if (id === req.user!.id) {
    req.flash('danger', req.t(msg('You cannot demote or deactivate yourself.')));
    return res.redirect(303, '/manage/users');
  }
  const { count } = await db().user.updateMany({ where: { id }, data: { isActive: false } });
  if (!count) throw new NotFoundError();
  req.flash('success', req.t('Account deactivated.'));
  res.redirect(303, '/manage/users');
}
