import { Router, type Request, type Response } from 'express';
import { createSource, issueToken, revokeToken } from '../../../registrations/commands/sourceCreator.js';
import { tokenCache } from '../../../registrations/tokenCache.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { ApiError, parseOrThrow } from './errors.js';
import { presentSource } from './present.js';
import { SourcesCreateSchema, SourcesUpdateSchema, TokensCreateSchema } from './schema.js';
import { apiAccess } from './tokenAuth.js';

const uuid = (v: unknown) => (typeof v === 'string' && /^[0-9a-f-]{36}$/i.test(v) ? v : null);

async function index(req: Request, res: Response) {
  const rows = await orgDb(req.org!.id).registrationSource.findMany({ include: { tokens: { orderBy: { createdAt: 'desc' } } }, orderBy: { name: 'asc' } });
  res.json({ items: rows.map(presentSource), nextCursor: null, prevCursor: null });
}

async function create(req: Request, res: Response) {
  const input = parseOrThrow(SourcesCreateSchema, req.body);
  const source = await createSource(req.org!.id, input);
  if (!source) throw new ApiError(409, 'conflict', 'A source with this slug exists.', { slug: ['is taken'] });
  res.status(201).json(presentSource(source));
}

async function update(req: Request, res: Response) {
  const id = uuid(req.params.id);
  const input = parseOrThrow(SourcesUpdateSchema, req.body);
  const scoped = orgDb(req.org!.id).registrationSource;
  const updated = id ? await scoped.updateMany({ where: { id }, data: input }) : { count: 0 };
  // Cached tokens carry their source (active, authority).
  tokenCache.clear();
  if (!updated.count) throw new ApiError(404, 'not_found', 'Not found.');
  res.json(presentSource((await scoped.findFirst({ where: { id: id! }, include: { tokens: true } }))!));
}

/** POST /api/v1/sources/:id/tokens: the secret is in this answer and nowhere else, ever. */
async function createToken(req: Request, res: Response) {
  const id = uuid(req.params.id);
  const { scopes } = parseOrThrow(TokensCreateSchema, req.body);
  const issued = id ? await issueToken(req.org!.id, id, scopes) : null;
  if (!issued) throw new ApiError(404, 'not_found', 'Not found.');
  res.status(201).json({ id: issued.token.id, token: issued.secret, prefix: issued.token.prefix, scopes: issued.token.scopes });
}

async function destroyToken(req: Request, res: Response) {
  const [id, tokenId] = [uuid(req.params.id), uuid(req.params.tokenId)];
  if (!id || !tokenId || !(await revokeToken(req.org!.id, id, tokenId))) throw new ApiError(404, 'not_found', 'Not found.');
  res.status(204).end();
}

/** Sources and their tokens, for org admins (spec §4.4). */
export const sourcesApiRouter = Router()
  .get('/api/v1/sources', apiAccess.member('registrations:manage'), index)
  .post('/api/v1/sources', apiAccess.member('registrations:manage'), create)
  .patch('/api/v1/sources/:id', apiAccess.member('registrations:manage'), update)
  .post('/api/v1/sources/:id/tokens', apiAccess.member('registrations:manage'), createToken)
  .delete('/api/v1/sources/:id/tokens/:tokenId', apiAccess.member('registrations:manage'), destroyToken);
