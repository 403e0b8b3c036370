import { contactJson } from '../render/contacts.js';
import { broadcastJson, startJson } from '../render/catalog.js';
import { messageJson } from '../render/messages.js';
import { Stream, uuidFor } from '../random.js';
import { createContact, deleteContact, sendMessage, startFlow, updateContact, type ContactChanges } from '../world/mutations.js';
import { MessageKind } from '../world/messageStore.js';
import type { Workspace } from '../world/workspace.js';
import { ApiFailure, badRequest, notFound, type ApiRequest, type ApiResult } from './api.js';

const LIMIT = 100;

function fieldError(field: string, message: string | Record<string, string[]>): ApiFailure {
  return new ApiFailure(400, { [field]: typeof message === 'string' ? [message] : message });
}

function nonField(message: string): ApiFailure {
  return new ApiFailure(400, { non_field_errors: [message] });
}

function objectBody(req: ApiRequest): Record<string, unknown> {
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) throw nonField('Request body should be a single JSON object');
  return req.body as Record<string, unknown>;
}

function list(body: Record<string, unknown>, key: string): unknown[] | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw fieldError(key, `Expected a list of items but got type "${typeof value}".`);
  if (value.length > LIMIT) throw fieldError(key, `Ensure this field has no more than ${LIMIT} elements.`);
  return value;
}

/** Normalises a URN (lower-case scheme, tel without spaces, twitter lower-case); null if invalid. */
export function normalizeUrn(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const match = /^([a-zA-Z]+):(.+)$/.exec(raw.trim());
  if (!match) return null;
  const scheme = match[1]!.toLowerCase();
  let path = match[2]!.trim();
  if (scheme === 'tel') {
    path = path.replace(/[\s\-()]/g, '');
    if (!/^\+?\d{5,15}$/.test(path)) return null;
  } else if (scheme === 'twitter') path = path.replace(/^@/, '').toLowerCase();
  else if (!['mailto', 'whatsapp', 'telegram', 'ext'].includes(scheme)) return null;
  return `${scheme}:${path}`;
}

function groupIndex(ws: Workspace, ref: unknown): number {
  if (typeof ref !== 'string') return -1;
  return ws.layout.groups.findIndex((g) => g.uuid === ref || g.name.toLowerCase() === ref.toLowerCase());
}

function contactChanges(ws: Workspace, body: Record<string, unknown>, self: number): ContactChanges {
  const changes: ContactChanges = {};
  if (body.name !== undefined) {
    if (body.name !== null && (typeof body.name !== 'string' || body.name.length > 64)) throw fieldError('name', 'Ensure this field has no more than 64 characters.');
    changes.name = (body.name as string | null) || null;
  }
  if (body.language !== undefined) {
    if (body.language !== null && (typeof body.language !== 'string' || !/^[a-z]{3}$/.test(body.language))) throw fieldError('language', 'Not a valid ISO639-3 language code.');
    changes.language = body.language as string | null;
  }
  const urns = list(body, 'urns');
  if (urns) {
    const errors: Record<string, string[]> = {};
    changes.urns = urns.map((raw, k) => {
      const urn = normalizeUrn(raw);
      if (urn === null) errors[String(k)] = ['Invalid URN: ' + String(raw) + '. Ensure phone numbers contain country codes.'];
      else {
        const owner = ws.contacts.findByUrn(urn);
        if (owner >= 0 && owner !== self) errors[String(k)] = ['URN is in use by another contact.'];
      }
      return urn ?? '';
    });
    if (Object.keys(errors).length > 0) throw fieldError('urns', errors);
  }
  const groups = list(body, 'groups');
  if (groups) {
    changes.groups = groups.map((ref) => {
      const g = groupIndex(ws, ref);
      if (g < 0) throw fieldError('groups', `No such object: ${String(ref)}`);
      const group = ws.layout.groups[g]!;
      if (group.query !== null || group.system) throw fieldError('groups', `Contact group must not be query based: ${group.name}`);
      return g;
    });
  }
  if (body.fields !== undefined) {
    if (typeof body.fields !== 'object' || body.fields === null || Array.isArray(body.fields)) throw fieldError('fields', 'Expected a dictionary of items.');
    const entries = Object.entries(body.fields as Record<string, unknown>);
    if (entries.length > LIMIT) throw fieldError('fields', `Ensure this field has no more than ${LIMIT} elements.`);
    changes.fields = {};
    for (const [key, value] of entries) {
      if (!ws.fields.some((f) => f.key === key)) throw fieldError('fields', `Invalid contact field key: ${key}`);
      changes.fields[key] = value === null ? null : String(value);
    }
  }
  return changes;
}

function postContact(req: ApiRequest): ApiResult {
  const { ws, query, nowUs } = req;
  const body = objectBody(req);
  const uuid = query.get('uuid');
  const urnParam = query.get('urn');
  if (uuid !== null && urnParam !== null) throw badRequest('URL can only contain one of the following parameters: urn, uuid');
  if (urnParam !== null && body.urns !== undefined) throw fieldError('urns', "Can't update the URNs of a contact identified by URN.");
  let target = -1;
  if (uuid !== null) {
    target = ws.contacts.findByUuid(uuid);
    if (target < 0) throw notFound();
  } else if (urnParam !== null) {
    const urn = normalizeUrn(urnParam);
    if (urn === null) throw badRequest(`Invalid URN: ${urnParam}`);
    target = ws.contacts.findByUrn(urn);
    if (target < 0) {
      const created = createContact(ws, { ...contactChanges(ws, body, -1), urns: [urn] }, nowUs);
      return { status: 201, body: contactJson(ws, created) };
    }
  }
  if (target >= 0 && ws.contacts.deleted[target]) throw nonField("Deleted contacts can't be modified.");
  const changes = contactChanges(ws, body, target);
  if (target < 0) return { status: 201, body: contactJson(ws, createContact(ws, changes, nowUs)) };
  updateContact(ws, target, changes, nowUs);
  return { status: 200, body: contactJson(ws, target) };
}

function deleteContactRoute(req: ApiRequest): ApiResult {
  const uuid = req.query.get('uuid');
  const urn = req.query.get('urn');
  if (uuid === null && urn === null) throw badRequest('URL must contain one of the following parameters: urn, uuid');
  const i = uuid !== null ? req.ws.contacts.findByUuid(uuid) : req.ws.contacts.findByUrn(normalizeUrn(urn) ?? '');
  if (i < 0 || req.ws.contacts.deleted[i]) throw notFound();
  deleteContact(req.ws, i, req.nowUs);
  return { status: 204 };
}

function recipients(ws: Workspace, body: Record<string, unknown>, nowUs: number): { contacts: number[]; groups: number[]; urns: string[] } {
  const contacts = (list(body, 'contacts') ?? []).map((ref) => {
    const i = typeof ref === 'string' ? ws.contacts.findByUuid(ref) : -1;
    if (i < 0 || ws.contacts.deleted[i]) throw fieldError('contacts', `No such object: ${String(ref)}`);
    return i;
  });
  const groups = (list(body, 'groups') ?? []).map((ref) => {
    const g = groupIndex(ws, ref);
    if (g < 0) throw fieldError('groups', `No such object: ${String(ref)}`);
    return g;
  });
  const urns = (list(body, 'urns') ?? []).map((raw, k) => {
    const urn = normalizeUrn(raw);
    if (urn === null) throw fieldError('urns', { [String(k)]: [`Invalid URN: ${String(raw)}`] });
    if (ws.contacts.findByUrn(urn) < 0) createContact(ws, { urns: [urn] }, nowUs);
    return urn;
  });
  if (contacts.length + groups.length + urns.length === 0) throw nonField('Must specify at least one group, contact or URN');
  return { contacts, groups, urns };
}

function postFlowStart(req: ApiRequest): ApiResult {
  const { ws, nowUs } = req;
  const body = objectBody(req);
  if (body.flow === undefined || body.flow === null) throw fieldError('flow', 'This field is required.');
  const flowIndex = ws.flows.findIndex((f) => f.uuid === body.flow && !f.archived);
  if (flowIndex < 0) throw fieldError('flow', `No such object: ${String(body.flow)}`);
  const audience = recipients(ws, body, nowUs);
  const params = typeof body.params === 'object' && body.params !== null ? (body.params as Record<string, unknown>) : null;
  const s = startFlow(ws, flowIndex, { ...audience, restartParticipants: body.restart_participants !== false, excludeActive: body.exclude_active === true, params }, nowUs);
  return { status: 201, body: startJson(ws, ws.starts[s]!, nowUs) };
}

function postBroadcast(req: ApiRequest): ApiResult {
  const { ws, nowUs } = req;
  const body = objectBody(req);
  const base = typeof body.base_language === 'string' ? body.base_language : ws.country.languages[0]!;
  const text = typeof body.text === 'string' ? { [base]: body.text } : (body.text as Record<string, string> | undefined);
  if (!text || typeof text !== 'object' || Object.keys(text).length === 0) throw nonField('Must provide either text or attachments.');
  const audience = recipients(ws, body, nowUs);
  const b = ws.broadcasts.length;
  const row = { uuid: uuidFor(ws.seed, Stream.broadcast, b), id: 1000 + b, createdUs: nowUs, text, baseLanguage: base, ...audience, total: null as number | null };
  ws.broadcasts.push(row);
  ws.schedule(nowUs + 2_000_000, (at) => {
    const targets = new Set(audience.contacts);
    const groups = new Set(audience.groups);
    if (groups.size > 0) for (let i = 0; i < ws.contacts.count; i++) if (ws.membership(i).some((g) => groups.has(g))) targets.add(i);
    for (const urn of audience.urns) targets.add(ws.contacts.findByUrn(urn));
    const live = [...targets].filter((i) => i >= 0 && !ws.contacts.deleted[i]).sort((x, y) => x - y);
    for (const i of live) sendMessage(ws, i, text[ws.contacts.language(i) ?? base] ?? text[base] ?? Object.values(text)[0]!, b, at);
    row.total = live.length;
  });
  return { status: 201, body: broadcastJson(ws, row, nowUs) };
}

function postMessage(req: ApiRequest): ApiResult {
  const body = objectBody(req);
  const i = typeof body.contact === 'string' ? req.ws.contacts.findByUuid(body.contact) : -1;
  if (i < 0 || req.ws.contacts.deleted[i]) throw fieldError('contact', `No such object: ${String(body.contact)}`);
  if (typeof body.text !== 'string' || body.text === '') throw fieldError('text', 'This field is required.');
  const m = sendMessage(req.ws, i, body.text, null, req.nowUs);
  return { status: 201, body: messageJson(req.ws, m, req.nowUs) };
}

const MESSAGE_ACTIONS = ['label', 'unlabel', 'archive', 'restore', 'delete'];

/** `POST message_actions.json`: archive, restore, delete, label or unlabel messages (by id or uuid); 204. */
function postMessageActions(req: ApiRequest): ApiResult {
  const { ws } = req;
  const body = objectBody(req);
  const action = body.action;
  if (typeof action !== 'string' || !MESSAGE_ACTIONS.includes(action)) throw fieldError('action', `"${String(action)}" is not a valid choice.`);
  const label = action === 'label' || action === 'unlabel' ? ws.labels.findIndex((l) => l.uuid === body.label || l.name === body.label) : -2;
  if (label === -1) throw fieldError('label', `No such object: ${String(body.label)}`);
  const targets = (list(body, 'messages') ?? []).map((ref) => {
    const m = typeof ref === 'number' ? (ref >= 1 && ref <= ws.messages.count && !ws.messages.deleted[ref - 1] ? ref - 1 : -1) : typeof ref === 'string' ? ws.messages.findByUuid(ref) : -1;
    if (m < 0) throw fieldError('messages', `No such object: ${String(ref)}`);
    return m;
  });
  if (targets.length === 0) throw fieldError('messages', 'This field is required.');
  const store = ws.messages;
  for (const m of targets) {
    const incoming = store.kind[m] === MessageKind.inbox;
    if (action === 'delete') store.deleted[m] = 1;
    else if (action === 'archive' && incoming) store.flags[m] = store.flags[m]! | 1;
    else if (action === 'restore' && incoming) store.flags[m] = store.flags[m]! & ~1;
    else if (action === 'label' && incoming) store.flags[m] = store.flags[m]! | (2 << label);
    else if (action === 'unlabel' && incoming) store.flags[m] = store.flags[m]! & ~(2 << label);
  }
  return { status: 204 };
}

function postContactAction(req: ApiRequest): ApiResult {
  const { ws, nowUs } = req;
  const body = objectBody(req);
  if (body.action !== 'add' && body.action !== 'remove') throw fieldError('action', `"${String(body.action)}" is not a valid choice.`);
  const g = groupIndex(ws, body.group);
  if (g < 0) throw fieldError('group', `No such object: ${String(body.group)}`);
  const group = ws.layout.groups[g]!;
  if (group.query !== null || group.system) throw fieldError('group', `Contact group must not be query based: ${group.name}`);
  const targets = (list(body, 'contacts') ?? []).map((ref) => {
    const i = typeof ref === 'string' ? (ref.includes(':') ? ws.contacts.findByUrn(normalizeUrn(ref) ?? '') : ws.contacts.findByUuid(ref)) : -1;
    if (i < 0 || ws.contacts.deleted[i]) throw fieldError('contacts', `No such object: ${String(ref)}`);
    return i;
  });
  if (targets.length === 0) throw fieldError('contacts', 'This field is required.');
  const inactive = targets.filter((i) => ws.contacts.status[i] !== 0);
  if (body.action === 'add' && inactive.length > 0) throw nonField(`Non-active contacts cannot be added to groups: ${inactive.map((i) => ws.contacts.uuid(i)).join(', ')}`);
  for (const i of targets) {
    const current = ws.membership(i).filter((m) => m < ws.layout.panelCount + ws.layout.cohortCount);
    const next = body.action === 'add' ? [...new Set([...current, g])] : current.filter((m) => m !== g);
    updateContact(ws, i, { groups: next }, nowUs);
  }
  return { status: 204 };
}

/** POST/DELETE handlers by "METHOD endpoint". */
export const WRITE_HANDLERS: Record<string, (req: ApiRequest) => ApiResult> = {
  'POST contacts': postContact,
  'DELETE contacts': deleteContactRoute,
  'POST flow_starts': postFlowStart,
  'POST broadcasts': postBroadcast,
  'POST messages': postMessage,
  'POST contact_actions': postContactAction,
  'POST message_actions': postMessageActions,
};
