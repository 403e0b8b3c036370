import { Router, type NextFunction, type Request, type Response } from 'express';
import { inviteMember } from '../../../commands/memberInviter.js';
import { setMemberActive, updateMember } from '../../../commands/memberUpdater.js';
import { NotFoundError } from '../../../errors.js';
import { paginate } from '../../../lib/pagination.js';
import { can } from '../../../policies/index.js';
import { presentMember } from '../../../presenters/member.js';
import { setRegionAccess } from '../../../commands/regionAccessUpdater.js';
import { treeOrder } from '../../../regions/tree.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { access } from '../../access.js';
import { idParam, translateErrors } from '../../forms.js';
import { parseForm, validate } from '../../middleware/validate.js';
import { UsersCreateSchema, UsersIndexSchema, UsersUpdateSchema } from './schema.js';

async function loadMember(req: Request) {
  const id = idParam(req.params);
  const membership = await orgDb(req.org!.id).orgMembership.findFirst({ where: { userId: id }, include: { user: true } });
  if (!membership) throw new NotFoundError();
  return membership;
}

async function index(req: Request, res: Response) {
  const { page, q, inactive } = req.input as { page: number; q: string; inactive: '0' | '1' };
  const where = {
    ...(inactive === '1' ? {} : { isActive: true, user: { isActive: true } }),
    ...(q ? { user: { OR: [{ name: { contains: q, mode: 'insensitive' as const } }, { email: { contains: q.toLowerCase() } }] } } : {}),
  };
  const scoped = orgDb(req.org!.id).orgMembership;
  const total = await scoped.count({ where });
  const pager = paginate(page, total);
  const rows = await scoped.findMany({ where, include: { user: true }, orderBy: { user: { name: 'asc' } }, skip: pager.skip, take: pager.take });
  res.render('pages/users/index.njk', { members: rows.map(presentMember), pager: { ...pager, total }, q, inactive });
}

function newForm(_req: Request, res: Response) {
  res.render('pages/users/new.njk', { values: { role: 'supervisor' }, errors: {} });
}

async function create(req: Request, res: Response) {
  const { data, errors } = parseForm(UsersCreateSchema, req.body);
  if (!data) return res.render('pages/users/new.njk', { values: req.body, errors: translateErrors(errors, req.t) });
  const result = await inviteMember(req.org!.id, data);
  if (result.existingAccount) req.flash('success', req.t('{{email}} already had an account; it now has access to this organization.', { email: data.email }));
  else req.flash('success', req.t('Account created. Give {{email}} this temporary password: {{password}} (it must be changed at first sign-in).', { email: data.email, password: result.temporaryPassword }));
  res.redirect(303, `/users/${result.userId}`);
}

async function assignedRegions(orgId: number, userId: number) {
  const rows = await orgDb(orgId).regionAccess.findMany({ where: { userId, region: { isActive: true } }, include: { region: true } });
  return rows.map((r) => r.region).sort((a, b) => a.name.localeCompare(b.name));
}

async function show(req: Request, res: Response) {
  const member = presentMember(await loadMember(req));
  const regions = member.role === 'admin' ? [] : await assignedRegions(req.org!.id, member.id);
  res.render('pages/users/show.njk', { member, regions, isSelf: member.id === req.user!.id, canEdit: can(req.actor!, 'users:manage') });
}

async function editLocals(req: Request, member: ReturnType<typeof presentMember>) {
  const [tree, assigned] = await Promise.all([
    orgDb(req.org!.id).region.findMany({ where: { isActive: true }, select: { id: true, name: true, parentId: true } }),
    assignedRegions(req.org!.id, member.id),
  ]);
  return { member, regionTree: treeOrder(tree), assigned: assigned.map((r) => r.id) };
}

async function edit(req: Request, res: Response) {
  const member = presentMember(await loadMember(req));
  const locals = await editLocals(req, member);
  res.render('pages/users/edit.njk', { ...locals, values: { ...member, regions: locals.assigned }, errors: {} });
}

async function update(req: Request, res: Response) {
  const member = presentMember(await loadMember(req));
  const { data, errors } = parseForm(UsersUpdateSchema, req.body);
  const problem = data ? await updateMember(req.org!.id, req.user!.id, member.id, data) : null;
  if (!data || problem) {
    const fieldErrors = errors ?? { role: problem! };
    const locals = await editLocals(req, member);
    return res.render('pages/users/edit.njk', { ...locals, values: { ...member, ...req.body }, errors: translateErrors(fieldErrors, req.t) });
  }
  await setRegionAccess(req.org!.id, member.id, data.role === 'admin' ? [] : data.regions);
  req.flash('success', req.t('Saved.'));
  res.redirect(303, `/users/${member.id}`);
}

function toggle(active: boolean) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const member = await loadMember(req);
    const problem = await setMemberActive(req.org!.id, req.user!.id, member.userId, active);
    if (problem === 'Not found') return next(new NotFoundError());
    const done = active ? req.t('Access restored.') : req.t('Access removed.');
    req.flash(problem ? 'danger' : 'success', problem ? req.t(problem) : done);
    res.redirect(303, `/users/${member.userId}`);
  };
}

/** The org's people (spec §17.12; admins manage, supervisors read cards). */
export const usersRouter = Router()
  .get('/users', access.member('users:manage'), validate(UsersIndexSchema, 'query'), index)
  .get('/users/new', access.member('users:manage'), newForm)
  .post('/users', access.member('users:manage'), create)
  .get('/users/:id', access.member('users:read'), show)
  .get('/users/:id/edit', access.member('users:manage'), edit)
  .post('/users/:id', access.member('users:manage'), update)
  .post('/users/:id/deactivate', access.member('users:manage'), toggle(false))
  .post('/users/:id/activate', access.member('users:manage'), toggle(true));
