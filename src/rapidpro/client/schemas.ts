import { z } from 'zod';
import { parseApiTime, type ApiTime } from './timestamps.js';

/** Zod shapes of API v2 responses (spec §5) that accept the version variants of §9, normalised. */

const time = z.string().transform((text, ctx): ApiTime => {
  const parsed = parseApiTime(text);
  if (!parsed) {
    ctx.addIssue({ code: 'custom', message: `not a timestamp: ${text}` });
    return z.NEVER;
  }
  return parsed;
});
const ref = z.object({ uuid: z.string(), name: z.string().nullable() });
const namedRef = z.object({ uuid: z.string(), name: z.string().nullish().transform((v) => v ?? '') });

/** Any page envelope; `results` is parsed per row by the caller. */
export const PageSchema = z.object({ next: z.string().nullable(), previous: z.string().nullish(), results: z.array(z.unknown()) });

export const WorkspaceSchema = z.object({
  uuid: z.string().optional(),
  name: z.string(),
  country: z.string().nullish().transform((v) => v ?? null),
  languages: z.array(z.string()).default([]),
  primary_language: z.string().nullish(),
  timezone: z.string(),
  date_style: z.enum(['day_first', 'month_first', 'year_first']).catch('day_first'),
  anon: z.boolean().default(false),
});

export const GroupSchema = z.object({
  uuid: z.string(),
  name: z.string(),
  query: z.string().nullish().transform((v) => v ?? null),
  status: z.string().optional(),
  system: z.boolean().default(false),
  count: z.number().int(),
});

export const FieldSchema = z
  .object({ key: z.string(), name: z.string().optional(), label: z.string().optional(), type: z.string().optional(), value_type: z.string().optional() })
  .transform((f) => ({ key: f.key, name: f.name ?? f.label ?? f.key, type: f.type ?? (f.value_type === 'numeric' ? 'number' : (f.value_type ?? 'text')) }));

const geometry = z.object({ type: z.string(), coordinates: z.array(z.unknown()) });
export const BoundarySchema = z.object({
  osm_id: z.string(),
  name: z.string(),
  level: z.number().int(),
  parent: z.object({ osm_id: z.string(), name: z.string() }).nullable(),
  aliases: z.array(z.string()).default([]),
  geometry: geometry.nullish().transform((v) => v ?? null),
});

export const ContactSchema = z
  .object({
    uuid: z.string(),
    name: z.string().nullable(),
    status: z.enum(['active', 'blocked', 'stopped', 'archived']).nullish(),
    blocked: z.boolean().nullish(),
    stopped: z.boolean().nullish(),
    language: z.string().nullable(),
    urns: z.array(z.string()),
    groups: z.array(namedRef),
    fields: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
    flow: namedRef.nullish().transform((v) => v ?? null),
    created_on: time,
    modified_on: time,
    last_seen_on: time.nullish().transform((v) => v ?? null),
  })
  .transform((c) => {
    // Tombstones have status null (current) or blocked/stopped null (legacy) and no URNs/groups.
    const deleted = c.status === null || (c.status === undefined && c.blocked === null && c.urns.length === 0);
    const status = c.status ?? (deleted ? null : c.blocked ? 'blocked' : c.stopped ? 'stopped' : 'active');
    const fields = Object.fromEntries(Object.entries(c.fields).map(([k, v]) => [k, v === null ? null : String(v)]));
    return { uuid: c.uuid, name: c.name, status, deleted, language: c.language, urns: c.urns, groups: c.groups, fields, flow: c.flow, createdOn: c.created_on, modifiedOn: c.modified_on, lastSeenOn: c.last_seen_on };
  });

const flowResult = z.object({ key: z.string(), name: z.string(), categories: z.array(z.string()), node_uuids: z.array(z.string()) });
export const FlowSchema = z
  .object({
    uuid: z.string(),
    name: z.string(),
    type: z.string().default('message'),
    archived: z.boolean().default(false),
    labels: z.array(namedRef).default([]),
    expires: z.number().default(0),
    runs: z.object({ active: z.number(), completed: z.number(), interrupted: z.number(), expired: z.number(), waiting: z.number().optional(), failed: z.number().optional() }),
    results: z.array(flowResult).default([]),
    created_on: time,
    modified_on: time.optional(),
  })
  .transform((f) => ({ uuid: f.uuid, name: f.name, type: f.type, archived: f.archived, labels: f.labels, expires: f.expires, runs: { waiting: 0, failed: 0, ...f.runs }, results: f.results.map((r) => ({ key: r.key, name: r.name, categories: r.categories, nodeUuids: r.node_uuids })), createdOn: f.created_on, modifiedOn: f.modified_on ?? null }));

const category = z.union([z.string(), z.record(z.string(), z.string())]).transform((c) => (typeof c === 'string' ? c : (c.base ?? Object.values(c)[0] ?? '')));
const runValue = z.object({ name: z.string(), value: z.union([z.string(), z.number(), z.null()]).transform((v) => (v === null ? '' : String(v))), category: category.nullish().transform((v) => v ?? ''), node: z.string(), time, input: z.string().nullish() });
export const RunSchema = z
  .object({
    uuid: z.string(),
    id: z.number().optional(),
    flow: namedRef,
    contact: z.object({ uuid: z.string(), name: z.string().nullish(), urn: z.string().nullish() }),
    start: z.object({ uuid: z.string() }).nullish().transform((v) => v ?? null),
    responded: z.boolean(),
    path: z.array(z.object({ node: z.string(), time })).nullish().transform((v) => v ?? null),
    values: z.record(z.string(), runValue),
    created_on: time,
    modified_on: time,
    exited_on: time.nullish().transform((v) => v ?? null),
    exit_type: z.string().nullish().transform((v) => v ?? null),
  })
  .transform((r) => ({ uuid: r.uuid, id: r.id ?? null, flow: r.flow, contact: { uuid: r.contact.uuid, name: r.contact.name ?? null, urn: r.contact.urn ?? null }, start: r.start, responded: r.responded, path: r.path, values: r.values, createdOn: r.created_on, modifiedOn: r.modified_on, exitedOn: r.exited_on, exitType: r.exit_type as 'completed' | 'interrupted' | 'expired' | 'failed' | null }));

export const MessageSchema = z
  .object({
    uuid: z.string().optional(),
    id: z.number().optional(),
    contact: ref,
    urn: z.string().nullable(),
    channel: namedRef.nullish().transform((v) => v ?? null),
    direction: z.enum(['in', 'out']),
    type: z.string(),
    status: z.string(),
    visibility: z.string().optional(),
    archived: z.boolean().optional(),
    text: z.string().nullish().transform((v) => v ?? ''),
    labels: z.array(namedRef).default([]),
    flow: namedRef.nullish().transform((v) => v ?? null),
    created_on: time,
    sent_on: time.nullish().transform((v) => v ?? null),
    modified_on: time.nullish().transform((v) => v ?? null),
  })
  .transform((m) => ({ key: m.uuid ?? String(m.id), uuid: m.uuid ?? null, id: m.id ?? null, contact: m.contact, urn: m.urn, channel: m.channel, direction: m.direction, type: m.type, status: m.status, visibility: m.visibility ?? (m.archived ? 'archived' : 'visible'), text: m.text, labels: m.labels, flow: m.flow, createdOn: m.created_on, sentOn: m.sent_on, modifiedOn: m.modified_on }));

const progress = z.object({ total: z.number(), started: z.number() }).nullish().transform((v) => v ?? null);
export const FlowStartSchema = z
  .object({ uuid: z.string(), id: z.number().optional(), flow: namedRef, status: z.string(), groups: z.array(namedRef).default([]), contacts: z.array(namedRef).default([]), params: z.unknown().optional(), progress, created_on: time, modified_on: time })
  .transform((s) => ({ uuid: s.uuid, flow: s.flow, status: ({ starting: 'started', complete: 'completed' } as Record<string, string>)[s.status] ?? s.status, groups: s.groups, contacts: s.contacts, progress: s.progress, createdOn: s.created_on, modifiedOn: s.modified_on }));

export const BroadcastSchema = z
  .object({ uuid: z.string().optional(), id: z.number().optional(), urns: z.array(z.string()).nullish(), contacts: z.array(namedRef).default([]), groups: z.array(namedRef).default([]), text: z.union([z.string(), z.record(z.string(), z.string())]), status: z.string().optional(), progress, created_on: time })
  .transform((b) => ({ key: b.uuid ?? String(b.id), uuid: b.uuid ?? null, urns: b.urns ?? null, contacts: b.contacts, groups: b.groups, text: typeof b.text === 'string' ? { base: b.text } : b.text, status: b.status ?? null, progress: b.progress, createdOn: b.created_on }));

export const ArchiveSchema = z
  .object({ type: z.enum(['run', 'message']), start_date: z.string(), period: z.enum(['daily', 'monthly']), record_count: z.number().int(), size: z.number().int(), hash: z.string(), download_url: z.string() })
  .transform((a) => ({ type: a.type, startDate: a.start_date, period: a.period, recordCount: a.record_count, size: a.size, hash: a.hash, downloadUrl: a.download_url }));

export type Workspace = z.output<typeof WorkspaceSchema>;
export type Group = z.output<typeof GroupSchema>;
export type Field = z.output<typeof FieldSchema>;
export type Boundary = z.output<typeof BoundarySchema>;
export type Contact = z.output<typeof ContactSchema>;
export type Flow = z.output<typeof FlowSchema>;
export type Run = z.output<typeof RunSchema>;
export type Message = z.output<typeof MessageSchema>;
export type FlowStart = z.output<typeof FlowStartSchema>;
export type Broadcast = z.output<typeof BroadcastSchema>;
export type Archive = z.output<typeof ArchiveSchema>;
