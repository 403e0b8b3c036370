import { toLegacyDefinition } from '../world/legacyDefinition.js';
import { boundaryJson, broadcastJson, fieldJson, flowJson, groupJson, startJson, workspaceJson } from '../render/catalog.js';
import { contactJson } from '../render/contacts.js';
import { folderOf, messageJson } from '../render/messages.js';
import { runJson } from '../render/runs.js';
import { startStatus } from '../world/starts.js';
import { archiveList } from './archives.js';
import { ApiFailure, badRequest, boolParam, indexSource, isUuid, pageOf, rangeOf, smallSource, type ApiRequest, type ApiResult } from './api.js';

function exclusive(req: ApiRequest, names: string[]): void {
  const present = names.filter((name) => req.query.has(name));
  if (present.length > 1) throw badRequest(`You may only specify one of the ${present.join(', ')} parameters`);
}

function groups(req: ApiRequest): ApiResult {
  exclusive(req, ['uuid', 'name']);
  const { ws, query } = req;
  const uuid = query.get('uuid');
  const name = query.get('name')?.toLowerCase();
  const manualOnly = boolParam(query, 'manual_only');
  const rows = ws.layout.groups
    .map((group, g) => ({ group, g }))
    .filter(({ group }) => (uuid === null || group.uuid === uuid) && (name === undefined || group.name.toLowerCase() === name))
    .filter(({ group }) => !manualOnly || (group.query === null && !group.system));
  return pageOf(req, smallSource(rows, (row) => row.group.createdUs, true), (row) => groupJson(ws, row.g));
}

function fields(req: ApiRequest): ApiResult {
  const key = req.query.get('key');
  const rows = req.ws.fields.map((field, f) => ({ field, f })).filter(({ field }) => key === null || field.key === key);
  return pageOf(req, smallSource(rows, (row) => row.field.createdUs, true), (row) => fieldJson(req.ws, row.f));
}

function boundaries(req: ApiRequest): ApiResult {
  const geometry = boolParam(req.query, 'geometry') === true;
  return pageOf(req, smallSource(req.ws.geography.all, (row) => row.osmId, false, false), (row) => boundaryJson(row, geometry));
}

function contacts(req: ApiRequest): ApiResult {
  const { ws, query } = req;
  exclusive(req, ['uuid', 'urn']);
  const store = ws.contacts;
  const deleted = boolParam(query, 'deleted') === true;
  const uuid = query.get('uuid');
  const urn = query.get('urn');
  const groupRef = query.get('group');
  if (uuid !== null && !isUuid(uuid)) throw badRequest(`Value for uuid must be a valid UUID`);
  if (urn !== null && ws.config.anon) throw badRequest('URN lookups not allowed for anonymous workspaces');
  let only = -2;
  if (uuid !== null) only = store.findByUuid(uuid);
  else if (urn !== null) only = store.findByUrn(urn);
  let group = -2;
  if (groupRef !== null) group = ws.layout.groups.findIndex((g) => g.uuid === groupRef || g.name.toLowerCase() === groupRef.toLowerCase());
  const accept = (i: number): boolean =>
    (store.deleted[i] === 1) === deleted && (only === -2 || i === only) && (group === -2 || ws.membership(i).includes(group));
  const range = rangeOf(query);
  if (only === -1 || group === -1) range.empty = true;
  const source = indexSource(store.index, (i) => store.modified[i]!, boolParam(query, 'reverse') === true, range, accept, only);
  return pageOf(req, source, (i) => contactJson(ws, i));
}

function flows(req: ApiRequest): ApiResult {
  const { ws, query } = req;
  const uuid = query.get('uuid');
  const type = query.get('type');
  const archived = boolParam(query, 'archived');
  const { lo, hi, empty } = rangeOf(query);
  const counts = new Map<number, Record<string, number>>();
  const runs = ws.runs;
  for (let r = 0; r < runs.count; r++) {
    if (runs.deleted[r]) continue;
    const flow = ws.starts[runs.start[r]!]!.flowIndex;
    const timeline = runs.timeline(r);
    const key = timeline.exitUs <= req.nowUs ? timeline.exitType : 'waiting';
    const entry = counts.get(flow) ?? {};
    entry[key] = (entry[key] ?? 0) + 1;
    counts.set(flow, entry);
  }
  const rows = ws.flows
    .map((flow, f) => ({ flow, f }))
    .filter(({ flow }) => !empty && (uuid === null || flow.uuid === uuid) && (type === null || flow.type === type))
    .filter(({ flow }) => (archived === null || flow.archived === archived) && flow.modifiedUs >= lo && flow.modifiedUs <= hi);
  return pageOf(req, smallSource(rows, (row) => row.flow.createdUs, true), (row) => flowJson(ws, row.flow, counts.get(row.f) ?? {}));
}

function definitions(req: ApiRequest): ApiResult {
  const wanted = req.query.getAll('flow');
  const dependencies = req.query.get('dependencies') ?? 'all';
  if (!['none', 'flows', 'all'].includes(dependencies)) throw badRequest('dependencies must be one of none, flows, all');
  const legacy = req.ws.config.definitionsFormat === 'legacy';
  const flows = req.ws.flows
    .filter((flow) => wanted.includes(flow.uuid))
    .map((flow) => (legacy ? toLegacyDefinition(flow.definition as never) : flow.definition));
  const fields = dependencies === 'all' ? req.ws.fields.map((f) => ({ key: f.key, name: f.name, type: f.type })) : [];
  return { status: 200, body: { version: legacy ? '11.12' : '13', site: 'https://rapidpro.simulator', flows, campaigns: [], triggers: [], fields, groups: [] } };
}

function runs(req: ApiRequest): ApiResult {
  const { ws, query } = req;
  const flowRef = query.get('flow');
  const uuid = query.get('uuid');
  if (flowRef !== null && !isUuid(flowRef)) throw badRequest('Value for flow must be a valid UUID');
  if (uuid !== null && !isUuid(uuid)) throw badRequest('Value for uuid must be a valid UUID');
  const store = ws.runs;
  const flowIndex = flowRef === null ? -2 : ws.flows.findIndex((flow) => flow.uuid === flowRef);
  const only = uuid === null ? -2 : store.findByUuid(uuid);
  const responded = boolParam(query, 'responded') === true;
  const range = rangeOf(query);
  range.lo = Math.max(range.lo, ws.liveCutoffUs(req.nowUs));
  if (flowIndex === -1 || only === -1) range.empty = true;
  const accept = (r: number): boolean =>
    store.deleted[r] === 0 &&
    (only === -2 || r === only) &&
    (flowIndex === -2 || ws.starts[store.start[r]!]!.flowIndex === flowIndex) &&
    (!responded || runJson(ws, r, req.nowUs, false).responded === true);
  const withPaths = boolParam(query, 'paths') !== false;
  const source = indexSource(store.index, (r) => store.modified[r]!, boolParam(query, 'reverse') === true, range, accept, only);
  return pageOf(req, source, (r) => runJson(ws, r, req.nowUs, withPaths));
}

function messages(req: ApiRequest): ApiResult {
  const { ws, query } = req;
  exclusive(req, ['folder', 'contact', 'label']);
  const store = ws.messages;
  const folder = query.get('folder')?.toLowerCase() ?? null;
  const contactRef = query.get('contact');
  const labelRef = query.get('label');
  const uuid = query.get('uuid');
  const range = rangeOf(query);
  range.lo = Math.max(range.lo, ws.liveCutoffUs(req.nowUs));
  range.hi = Math.min(range.hi, req.nowUs);
  const known = ['inbox', 'flows', 'archived', 'outbox', 'sent', 'failed'];
  const contact = contactRef === null ? -2 : ws.contacts.findByUuid(contactRef);
  const label = labelRef === null ? -2 : ws.labels.findIndex((l) => l.uuid === labelRef || l.name.toLowerCase() === labelRef.toLowerCase());
  const only = uuid === null ? -2 : store.findByUuid(uuid);
  if ((folder !== null && !known.includes(folder)) || contact === -1 || label === -1 || only === -1) range.empty = true;
  const ownerOf = (m: number): number => (store.kind[m] === 1 || store.kind[m] === 2 ? ws.runs.contact[store.ref[m]!]! : store.ref[m]!);
  const accept = (m: number): boolean =>
    store.deleted[m] === 0 &&
    (only === -2 || m === only) &&
    (folder === null || folderOf(ws, m, req.nowUs) === folder) &&
    (contact === -2 || ownerOf(m) === contact) &&
    (label === -2 || (store.kind[m] === 0 && (store.flags[m]! & (2 << label)) !== 0));
  const source = indexSource(store.index, (m) => store.created[m]!, false, range, accept);
  return pageOf(req, source, (m) => messageJson(ws, m, req.nowUs));
}

function flowStarts(req: ApiRequest): ApiResult {
  const { ws, query } = req;
  const uuid = query.get('uuid');
  const { lo, hi, empty } = rangeOf(query);
  const modified = (s: number): number => {
    const start = ws.starts[s]!;
    return start.request ? startStatus(start.createdUs, req.nowUs).sinceUs : start.createdUs + 3_000_000;
  };
  const rows = ws.starts
    .map((_, s) => s)
    .filter((s) => !empty && !ws.starts[s]!.keyword && (uuid === null || ws.starts[s]!.uuid === uuid))
    .filter((s) => modified(s) >= lo && modified(s) <= hi && ws.starts[s]!.createdUs <= req.nowUs);
  return pageOf(req, smallSource(rows, modified, boolParam(query, 'reverse') !== true), (s) => startJson(ws, ws.starts[s]!, req.nowUs));
}

function broadcasts(req: ApiRequest): ApiResult {
  const { ws, query } = req;
  const uuid = query.get('uuid') ?? query.get('id');
  const { lo, hi, empty } = rangeOf(query);
  const rows = ws.broadcasts.filter((b) => !empty && (uuid === null || b.uuid === uuid || String(b.id) === uuid) && b.createdUs >= lo && b.createdUs <= hi);
  return pageOf(req, smallSource(rows, (b) => b.createdUs, true), (b) => broadcastJson(ws, b, req.nowUs));
}

function labels(req: ApiRequest): ApiResult {
  return pageOf(req, smallSource(req.ws.labels.map((l, k) => ({ l, k })), (row) => row.k, true, false), (row) => ({ uuid: row.l.uuid, name: row.l.name, count: 0 }));
}

/** GET handlers by endpoint name (without `.json`). */
export const READ_HANDLERS: Record<string, (req: ApiRequest) => ApiResult | Promise<ApiResult>> = {
  workspace: (req) => ({ status: 200, body: workspaceJson(req.ws) }),
  org: (req) => ({ status: 200, body: workspaceJson(req.ws) }),
  groups,
  fields,
  boundaries,
  contacts,
  flows,
  definitions,
  runs,
  messages,
  flow_starts: flowStarts,
  broadcasts,
  labels,
  archives: (req) => archiveList(req),
};

/** Endpoints that are lists (a path without `.json` answers `[]` for these). */
export const LIST_ENDPOINTS = new Set(Object.keys(READ_HANDLERS).filter((name) => !['workspace', 'org', 'definitions'].includes(name)));

export { ApiFailure };
