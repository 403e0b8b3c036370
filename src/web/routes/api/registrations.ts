import { Router, type Request, type Response } from 'express';
import { registrationFollowupTask } from '../../../jobs/tasks/RegistrationFollowupTask.js';
import { createRegistration } from '../../../registrations/commands/registrationCreator.js';
import { loadConfig } from '../../../registrations/config.js';
import { validateRegistration, type Authority, type Stage } from '../../../registrations/validation.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { ApiError, invalidJson, parseOrThrow } from './errors.js';
import { paginate } from './paging.js';
import { presentRegistration, presentSubscriptionRequest } from './present.js';
import { RegistrationsCreateSchema, RegistrationsIndexSchema, RegistrationsUpdateSchema, SubscriptionRequestsIndexSchema } from './schema.js';
import { apiAccess, principal } from './tokenAuth.js';

async function loadRegistration(req: Request) {
  const id = String(req.params.id);
  const row = /^[0-9a-f-]{36}$/i.test(id) ? await orgDb(req.org!.id).registration.findFirst({ where: { id } }) : null;
  if (!row) throw new ApiError(404, 'not_found', 'Not found.');
  return row;
}

/** POST /api/v1/registrations: validate synchronously, store, answer 201 (decision 1). */
async function create(req: Request, res: Response) {
  if (!req.is('application/json')) throw invalidJson();
  const input = parseOrThrow(RegistrationsCreateSchema, req.body);
  const who = principal(res);
  if (who.kind !== 'source') throw new ApiError(403, 'forbidden', 'Only sources submit registrations.');
  const row = await createRegistration(req.org!.id, who.source, input, who.ref);
  res.status(201).json(presentRegistration(row));
}

/** GET /api/v1/registrations: newest first, cursor-paged, filtered. */
async function index(req: Request, res: Response) {
  const q = parseOrThrow(RegistrationsIndexSchema, req.query);
  const filters = {
    ...(q.stage ? { stage: q.stage } : {}), ...(q.motherId ? { motherId: q.motherId } : {}), ...(q.sourceId ? { sourceId: q.sourceId } : {}),
    ...(q.validated !== undefined ? { validationStatus: q.validated ? 'valid' : 'invalid' } : {}),
    createdAt: { ...(q.createdAfter ? { gte: new Date(q.createdAfter) } : {}), ...(q.createdBefore ? { lte: new Date(q.createdBefore) } : {}) },
  };
  const scoped = orgDb(req.org!.id).registration;
  const page = await paginate((w) => scoped.findMany({ ...w, where: { AND: [filters, w.where] } }), q.cursor, q.limit);
  res.json({ ...page, items: page.items.map(presentRegistration) });
}

async function show(req: Request, res: Response) {
  res.json(presentRegistration(await loadRegistration(req)));
}

/** PATCH /api/v1/registrations/:id: replaces data; neither revalidates nor touches metrics. */
async function update(req: Request, res: Response) {
  const row = await loadRegistration(req);
  const who = principal(res);
  if (who.kind === 'source' && who.source.id !== row.sourceId) throw new ApiError(403, 'forbidden', 'Only the owning source may change this registration.');
  const { data } = parseOrThrow(RegistrationsUpdateSchema, req.body);
  const scoped = orgDb(req.org!.id).registration;
  await scoped.updateMany({ where: { id: row.id }, data: { data: data as object, updatedBy: who.ref } });
  res.json(presentRegistration((await scoped.findFirst({ where: { id: row.id } }))!));
}

/** POST /api/v1/registrations/:id/revalidate: re-runs §5 and, if newly valid, §6. */
async function revalidate(req: Request, res: Response) {
  const row = await loadRegistration(req);
  const scoped = orgDb(req.org!.id);
  const source = await scoped.registrationSource.findFirstOrThrow({ where: { id: row.sourceId } });
  const outcome = validateRegistration({ stage: row.stage as Stage, motherId: row.motherId, data: row.data, authority: source.authority as Authority }, await loadConfig(req.org!.id), new Date());
  const newlyValid = outcome.valid && row.validationStatus !== 'valid';
  await scoped.registration.updateMany({
    where: { id: row.id },
    data: {
      validationStatus: outcome.valid ? 'valid' : 'invalid', regType: outcome.regType, pregWeek: outcome.pregWeek, babyAge: outcome.babyAge,
      invalidReasons: outcome.reasons, updatedBy: principal(res).ref, ...(newlyValid ? { followupStatus: 'pending' } : {}),
    },
  });
  if (newlyValid) await registrationFollowupTask.schedule({ orgId: req.org!.id, registrationIds: [row.id] }, { jobId: `followup-${row.id}-revalidated` });
  res.json(presentRegistration((await scoped.registration.findFirst({ where: { id: row.id } }))!));
}

async function subscriptionRequests(req: Request, res: Response) {
  const row = await loadRegistration(req);
  const items = await orgDb(req.org!.id).subscriptionRequest.findMany({ where: { registrationId: row.id }, orderBy: { createdAt: 'asc' } });
  res.json({ items: items.map(presentSubscriptionRequest), nextCursor: null, prevCursor: null });
}

/** GET /api/v1/subscription-requests: audit of produced requests. */
async function allSubscriptionRequests(req: Request, res: Response) {
  const q = parseOrThrow(SubscriptionRequestsIndexSchema, req.query);
  const filters = { ...(q.identity ? { identity: q.identity } : {}), ...(q.registrationId ? { registrationId: q.registrationId } : {}) };
  const scoped = orgDb(req.org!.id).subscriptionRequest;
  const page = await paginate((w) => scoped.findMany({ ...w, where: { AND: [filters, w.where] } }), q.cursor, q.limit);
  res.json({ ...page, items: page.items.map(presentSubscriptionRequest) });
}

/** Registration intake and reads (spec §4.3). */
export const registrationsApiRouter = Router()
  .post('/api/v1/registrations', apiAccess.source('registrations:write'), create)
  .get('/api/v1/registrations', apiAccess.sourceOrMember('registrations:read', 'registrations:read'), index)
  .get('/api/v1/registrations/:id', apiAccess.sourceOrMember('registrations:read', 'registrations:read'), show)
  .patch('/api/v1/registrations/:id', apiAccess.sourceOrMember('registrations:write', 'registrations:manage'), update)
  .post('/api/v1/registrations/:id/revalidate', apiAccess.member('registrations:manage'), revalidate)
  .get('/api/v1/registrations/:id/subscription-requests', apiAccess.sourceOrMember('registrations:read', 'registrations:read'), subscriptionRequests)
  .get('/api/v1/subscription-requests', apiAccess.sourceOrMember('registrations:read', 'registrations:read'), allSubscriptionRequests);
