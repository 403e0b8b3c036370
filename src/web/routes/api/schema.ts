import { z } from 'zod';
import { CHANGE_ACTIONS } from '../../../registrations/commands/changeCreator.js';
import { TOKEN_SCOPES } from '../../../registrations/commands/sourceCreator.js';
import { INTERVALS } from '../../../registrations/metrics/buckets.js';
import { AUTHORITIES, STAGES } from '../../../registrations/validation.js';

const dataObject = z
  .record(z.string(), z.unknown(), { error: 'must be an object' })
  .nullish()
  .transform((d) => d ?? {});
const isoDate = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with an offset or Z' });
/** A cursor from a previous page (either way); one that does not decode reads the first page. */
const cursor = z.string().max(200).optional();
const limit = z.coerce.number().int().min(1).max(1000).catch(100).default(100);
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

/** POST /api/v1/registrations: the envelope; everything inside `data` is judged by the business rules. */
export const RegistrationsCreateSchema = z.preprocess(
  (body) => (body && typeof body === 'object' && !Array.isArray(body) && !('motherId' in body) && 'mother_id' in body ? { ...body, motherId: (body as { mother_id: unknown }).mother_id } : body),
  z.object({
    stage: z.enum(STAGES, { error: `must be one of ${STAGES.join(', ')}` }),
    motherId: z.string({ error: 'must be a string' }).max(36, 'must be at most 36 characters'),
    data: dataObject,
  }, { error: 'the body must be a JSON object' }),
);
export const RegistrationsIndexSchema = z.object({
  stage: z.enum(STAGES).optional(),
  motherId: z.string().max(36).optional(),
  validated: bool.optional(),
  sourceId: z.uuid().optional(),
  createdAfter: isoDate.optional(),
  createdBefore: isoDate.optional(),
  cursor,
  limit,
});
export const RegistrationsUpdateSchema = z.object({ data: z.record(z.string(), z.unknown(), { error: 'must be an object' }) }, { error: 'the body must be a JSON object' });

export const ChangesCreateSchema = z.object({
  motherId: z.string({ error: 'must be a string' }).max(36, 'must be at most 36 characters'),
  action: z.enum(CHANGE_ACTIONS, { error: `must be one of ${CHANGE_ACTIONS.join(', ')}` }),
  data: dataObject,
}, { error: 'the body must be a JSON object' });
export const ChangesIndexSchema = z.object({
  action: z.enum(CHANGE_ACTIONS).optional(),
  motherId: z.string().max(36).optional(),
  sourceId: z.uuid().optional(),
  createdAfter: isoDate.optional(),
  createdBefore: isoDate.optional(),
  cursor,
  limit,
});

/** POST /api/v1/hooks/optouts: other keys (details, optout_type) are accepted and ignored. */
export const OptoutHookSchema = z.object({
  identity: z.string().min(1).max(36),
  optout_reason: z.string().max(128),
  optout_source: z.string().min(1).max(128),
});

const names = z.string().max(20_000).transform((s) => s.split(',').map((n) => n.trim()).filter(Boolean));
export const MetricsCurrentSchema = z.object({ names: names.optional() });
export const MetricsSeriesSchema = z.object({
  names,
  from: isoDate,
  to: isoDate,
  interval: z.enum(INTERVALS).default('1d'),
});
export const MetricsRecomputeSchema = z.object({
  names: z.union([z.literal('all'), z.array(z.string().min(1).max(255)).min(1).max(2000)]).default('all'),
  from: isoDate.optional(),
  to: isoDate.optional(),
  interval: z.enum(INTERVALS).optional(),
  retentions: z.string().max(200).optional(),
  forward: z.boolean().default(false),
});

export const SourcesCreateSchema = z.object({
  name: z.string().trim().min(1).max(128),
  slug: z.string().regex(/^[a-z0-9_]+$/, 'use a-z, 0-9 and _').max(64),
  authority: z.enum(AUTHORITIES),
});
export const SourcesUpdateSchema = z.object({
  name: z.string().trim().min(1).max(128).optional(),
  authority: z.enum(AUTHORITIES).optional(),
  active: z.boolean().optional(),
});
export const TokensCreateSchema = z.object({ scopes: z.array(z.enum(TOKEN_SCOPES)).min(1).optional() });
export const SubscriptionRequestsIndexSchema = z.object({ identity: z.string().max(36).optional(), registrationId: z.uuid().optional(), cursor, limit });
