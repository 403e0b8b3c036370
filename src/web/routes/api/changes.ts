import { Router, type Request, type Response } from 'express';
import { createChange } from '../../../registrations/commands/changeCreator.js';
import { receiveOptout } from '../../../registrations/commands/optoutReceiver.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { ApiError, invalidJson, issuesByField, parseOrThrow } from './errors.js';
import { paginate } from './paging.js';
import { presentChange } from './present.js';
import { ChangesCreateSchema, ChangesIndexSchema, OptoutHookSchema } from './schema.js';
import { apiAccess, principal } from './tokenAuth.js';

/** POST /api/v1/changes: stored now, applied by a worker (spec §7). */
async function create(req: Request, res: Response) {
  if (!req.is('application/json')) throw invalidJson();
  const input = parseOrThrow(ChangesCreateSchema, req.body);
  const who = principal(res);
  const row = await createChange(req.org!.id, input, who.ref, who.kind === 'source' ? who.source.id : null);
  res.status(201).json(presentChange(row));
}

async function index(req: Request, res: Response) {
  const q = parseOrThrow(ChangesIndexSchema, req.query);
  const filters = {
    ...(q.action ? { action: q.action } : {}), ...(q.motherId ? { motherId: q.motherId } : {}), ...(q.sourceId ? { sourceId: q.sourceId } : {}),
    createdAt: { ...(q.createdAfter ? { gte: new Date(q.createdAfter) } : {}), ...(q.createdBefore ? { lte: new Date(q.createdBefore) } : {}) },
  };
  const scoped = orgDb(req.org!.id).registrationChange;
  const page = await paginate((w) => scoped.findMany({ ...w, where: { AND: [filters, w.where] } }), q.cursor, q.limit);
  res.json({ ...page, items: page.items.map(presentChange) });
}

async function show(req: Request, res: Response) {
  const id = String(req.params.id);
  const row = /^[0-9a-f-]{36}$/i.test(id) ? await orgDb(req.org!.id).registrationChange.findFirst({ where: { id } }) : null;
  if (!row) throw new ApiError(404, 'not_found', 'Not found.');
  res.json(presentChange(row));
}

/** POST /api/v1/hooks/optouts: an opt-out notification (spec §4.3); stored even when nothing matches. */
async function optout(req: Request, res: Response) {
  if (!req.is('application/json') || !req.body || typeof req.body !== 'object') throw invalidJson();
  const parsed = OptoutHookSchema.safeParse(req.body);
  if (!parsed.success) throw new ApiError(400, 'missing_fields', 'identity, optout_reason and optout_source are required.', issuesByField(parsed.error));
  await receiveOptout(req.org!.id, { identity: parsed.data.identity, reason: parsed.data.optout_reason, requestSource: parsed.data.optout_source });
  res.status(200).json({});
}

/** Change requests and the opt-out hook (spec §4.3, decision 6). */
export const changesApiRouter = Router()
  .post('/api/v1/changes', apiAccess.sourceOrMember('changes:write', 'registrations:manage'), create)
  .get('/api/v1/changes', apiAccess.sourceOrMember('changes:read', 'registrations:read'), index)
  .get('/api/v1/changes/:id', apiAccess.sourceOrMember('changes:read', 'registrations:read'), show)
  .post('/api/v1/hooks/optouts', apiAccess.source('optouts:write'), optout);
