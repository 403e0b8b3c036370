import { hash, Stream, uuidFor } from '../random.js';
import { US_PER_WEEK } from '../time.js';
import { activityOfMinute, type ActivityEvent } from './activity.js';
import { ContactStatus } from './contactStore.js';
import { MessageKind } from './messageStore.js';
import type { StartRequest } from './starts.js';
import type { Workspace } from './workspace.js';

/** The writable parts of a contact, already validated and resolved to indexes. */
export interface ContactChanges {
  name?: string | null;
  language?: string | null;
  urns?: string[];
  /** Manual groups (panels and cohorts) replacing the current ones. */
  groups?: number[];
  fields?: Record<string, string | null>;
}

function applyGroups(ws: Workspace, i: number, groups: number[]): void {
  const panel = groups.find((g) => g < ws.layout.panelCount) ?? 255;
  if (panel !== ws.contacts.panel[i]) delete ws.contacts.edit(i).district;
  ws.contacts.panel[i] = panel;
  let bits = 0;
  for (const g of groups) if (g >= ws.layout.panelCount && g < ws.layout.panelCount + ws.layout.cohortCount) bits |= 1 << (g - ws.layout.panelCount);
  ws.contacts.cohorts[i] = bits;
}

/**
 * Updates a contact: URNs and manual groups are replaced, fields merged (null or "" clears).
 * @param atUs virtual time of the write (the new modified_on).
 */
export function updateContact(ws: Workspace, i: number, changes: ContactChanges, atUs: number): void {
  ws.changeContact(i, atUs, () => {
    const over = ws.contacts.edit(i);
    if (changes.name !== undefined) over.name = changes.name;
    if (changes.language !== undefined) over.language = changes.language;
    if (changes.urns) ws.contacts.setUrns(i, changes.urns);
    if (changes.groups) applyGroups(ws, i, changes.groups);
    if (changes.fields) {
      const merged = { ...(over.fields ?? {}) };
      for (const [key, value] of Object.entries(changes.fields)) merged[key] = value === '' ? null : value;
      over.fields = merged;
    }
  });
}

/**
 * Creates a contact (new index, all generated attributes replaced by what was given).
 * @returns the new contact index.
 */
export function createContact(ws: Workspace, changes: ContactChanges, atUs: number): number {
  const store = ws.contacts;
  const i = store.count;
  store.grow(i + 1);
  store.count = i + 1;
  store.created[i] = atUs;
  store.modified[i] = atUs;
  store.status[i] = ContactStatus.active;
  store.deleted[i] = 0;
  store.panel[i] = 255;
  store.cohorts[i] = 0;
  const blank = Object.fromEntries(ws.fields.map((f) => [f.key, null]));
  store.overlay.set(i, { name: changes.name ?? null, language: changes.language ?? null, urns: [], fields: blank });
  ws.changeContact(i, atUs, () => undefined);
  updateContact(ws, i, { ...changes, urns: changes.urns ?? [] }, atUs);
  return i;
}

/**
 * Deletes a contact: tombstone now, runs and messages purged after the configured virtual delay.
 */
export function deleteContact(ws: Workspace, i: number, atUs: number): void {
  ws.changeContact(i, atUs, () => {
    ws.contacts.deleted[i] = 1;
  });
  ws.schedule(atUs + ws.config.deleteDelayUs, () => {
    ws.runs.deleteOfContact(i);
    if (ws.hasMessages) ws.messages.deleteOfContact(i, ws.runs);
  });
}

function resolveAudience(ws: Workspace, request: StartRequest, flowIndex: number, atUs: number): number[] {
  const chosen = new Set<number>(request.contacts);
  if (request.groups.length > 0) {
    const wanted = new Set(request.groups);
    for (let i = 0; i < ws.contacts.count; i++) if (ws.membership(i).some((g) => wanted.has(g))) chosen.add(i);
  }
  const urnOwners = request.urns.map((urn) => ws.contacts.findByUrn(urn));
  for (const owner of urnOwners) if (owner >= 0) chosen.add(owner);
  let audience = [...chosen].filter((i) => !ws.contacts.deleted[i] && ws.contacts.status[i] === ContactStatus.active).sort((a, b) => a - b);
  const runs = ws.runs;
  if (!request.restartParticipants) {
    const seen = new Set<number>();
    for (let r = 0; r < runs.count; r++) if (ws.starts[runs.start[r]!]!.flowIndex === flowIndex) seen.add(runs.contact[r]!);
    audience = audience.filter((i) => !seen.has(i));
  }
  if (request.excludeActive) {
    const active = new Set(runs.pending.waitingRows().filter((r) => runs.isWaiting(r, atUs)).map((r) => runs.contact[r]!));
    audience = audience.filter((i) => !active.has(i));
  }
  return audience;
}

/**
 * Records a flow start (status pending) and schedules its runs for when it reaches "started".
 * @returns the start's index in the start table.
 */
export function startFlow(ws: Workspace, flowIndex: number, request: StartRequest, atUs: number): number {
  const s = ws.starts.length;
  const week = Math.max(0, Math.floor((atUs - ws.historyStartUs) / US_PER_WEEK));
  ws.starts.push({ uuid: uuidFor(ws.seed, Stream.start, s), flowIndex, createdUs: atUs, week, keyword: false, panels: [], request, total: null });
  ws.schedule(atUs + 2_000_000, (at) => {
    const audience = resolveAudience(ws, request, flowIndex, at);
    for (const i of audience) {
      const r = ws.runs.addRun(i, s, at);
      if (ws.hasMessages) {
        const before = ws.messages.count;
        ws.messages.addRunMessages(ws.runs, r, 0);
        for (let m = before; m < ws.messages.count; m++) ws.messages.index.touch(m);
      }
    }
    ws.starts[s]!.total = audience.length;
  });
  return s;
}

/**
 * Adds one outgoing message (status then follows the virtual clock).
 * @returns the message index.
 */
export function sendMessage(ws: Workspace, contact: number, text: string, broadcast: number | null, atUs: number): number {
  const m = ws.messages.add(MessageKind.outgoing, contact, 0, atUs);
  ws.messages.texts.set(m, { text, broadcast });
  ws.messages.index.touch(m);
  return m;
}

function applyActivity(ws: Workspace, event: ActivityEvent): void {
  const i = event.contact;
  if (ws.contacts.deleted[i]) return;
  switch (event.kind) {
    case 'inbox': {
      const m = ws.messages.add(MessageKind.inbox, i, event.variant, event.atUs, 0);
      ws.messages.index.touch(m);
      return;
    }
    case 'edit':
      return updateContact(ws, i, { fields: { age: String(19 + (event.value % 45)) } }, event.atUs);
    case 'move': {
      const panel = event.value % ws.layout.panelCount;
      return ws.changeContact(i, event.atUs, () => {
        ws.contacts.panel[i] = panel;
        ws.contacts.edit(i).district = hash(ws.seed, Stream.activity, event.value, 1) % ws.geography.districts[panel]!.length;
      });
    }
    case 'block':
      return ws.changeContact(i, event.atUs, () => {
        ws.contacts.status[i] = ws.contacts.status[i] === ContactStatus.active ? ContactStatus.blocked : ContactStatus.active;
      });
    case 'delete':
      return deleteContact(ws, i, event.atUs);
  }
}

/**
 * Brings a workspace up to a virtual instant: scripted activity, scheduled changes, run events.
 * @param nowUs the virtual now.
 */
export function advanceWorkspace(ws: Workspace, nowUs: number): void {
  if (nowUs <= ws.processedUs) return;
  if (ws.config.activity) {
    const [first, last] = ws.pendingMinutes(nowUs);
    for (let minute = first; minute <= last; minute++) {
      for (const event of activityOfMinute(ws.seed, minute, ws.contacts.count)) {
        if (event.atUs <= ws.processedUs || event.atUs > nowUs) continue;
        ws.settle(event.atUs);
        if (!ws.hasMessages) void ws.messages;
        applyActivity(ws, event);
      }
    }
  }
  ws.settle(nowUs);
  ws.processedUs = nowUs;
}
