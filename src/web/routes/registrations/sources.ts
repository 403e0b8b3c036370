import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { msg } from '../../../i18n/msg.js';
import { createSource, issueToken, revokeToken, TOKEN_SCOPES, DEFAULT_SCOPES } from '../../../registrations/commands/sourceCreator.js';
import { AUTHORITIES } from '../../../registrations/validation.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { access } from '../../access.js';
import { multi, requiredText, translateErrors } from '../../forms.js';
import { parseForm } from '../../middleware/validate.js';
import { NotFoundError } from '../../../errors.js';


export const SourceCreateSchema = z.object({
  name: requiredText(128),
  slug: z.string().trim().toLowerCase().regex(/^[a-z0-9_]{1,64}$/, msg('Use lower-case letters, digits and underscores.')),
  authority: z.enum(AUTHORITIES, { error: msg('Choose an authority.') }),
});
export const TokenIssueSchema = z.object({ scopes: multi(z.enum(TOKEN_SCOPES)).refine((s) => s.length > 0, msg('Choose at least one scope.')) });
const IdsSchema = z.object({ id: z.uuid(), tokenId: z.uuid().optional() });

async function pageLocals(orgId: number, extra: Record<string, unknown> = {}) {
  const sources = await orgDb(orgId).registrationSource.findMany({ orderBy: { name: 'asc' }, include: { tokens: { orderBy: { createdAt: 'desc' } } } });
  return { sources, authorities: AUTHORITIES, scopes: TOKEN_SCOPES, defaultScopes: DEFAULT_SCOPES, values: { authority: 'hw_full' }, errors: {}, ...extra };
}

function ids(req: Request) {
  const parsed = IdsSchema.safeParse(req.params);
  if (!parsed.success) throw new NotFoundError();
  return parsed.data;
}

/** GET /registrations/sources: the org's sources and their tokens (never the secrets). */
async function index(req: Request, res: Response) {
  res.render('pages/registrations/sources.njk', await pageLocals(req.org!.id));
}

/** POST /registrations/sources */
async function create(req: Request, res: Response) {
  const { data, errors } = parseForm(SourceCreateSchema, req.body);
  const source = data ? await createSource(req.org!.id, data) : null;
  if (!data || !source) {
    const problems = errors ?? { slug: msg('Another source already uses this slug.') };
    return res.status(400).render('pages/registrations/sources.njk', await pageLocals(req.org!.id, { values: req.body, errors: translateErrors(problems, req.t) }));
  }
  req.flash('success', req.t('Source created. Issue it a token next.'));
  res.redirect(303, '/registrations/sources');
}

/** POST /registrations/sources/:id/tokens: shows the new secret on this one page, never again. */
async function issue(req: Request, res: Response) {
  const { id } = ids(req);
  const { data, errors } = parseForm(TokenIssueSchema, req.body);
  if (!data) return res.status(400).render('pages/registrations/sources.njk', await pageLocals(req.org!.id, { errors: translateErrors(errors, req.t) }));
  const issued = await issueToken(req.org!.id, id, data.scopes);
  if (!issued) throw new NotFoundError();
  res.setHeader('Cache-Control', 'no-store');
  res.render('pages/registrations/sources.njk', await pageLocals(req.org!.id, { issued: { sourceId: id, secret: issued.secret } }));
}

/** POST /registrations/sources/:id/tokens/:tokenId/revoke */
async function revoke(req: Request, res: Response) {
  const { id, tokenId } = ids(req);
  if (!tokenId || !(await revokeToken(req.org!.id, id, tokenId))) throw new NotFoundError();
  req.flash('success', req.t('Token revoked.'));
  res.redirect(303, '/registrations/sources');
}

/** Sources and their API tokens, for admins (spec §3). */
export const sourcesRouter = Router()
  .get('/registrations/sources', access.member('registrations:manage'), index)
  .post('/registrations/sources', access.member('registrations:manage'), create)
  .post('/registrations/sources/:id/tokens', access.member('registrations:manage'), issue)
  .post('/registrations/sources/:id/tokens/:tokenId/revoke', access.member('registrations:manage'), revoke);
