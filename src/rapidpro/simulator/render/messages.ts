import { hash, Stream } from '../random.js';
import { isoMicros, US_PER_SECOND } from '../time.js';
import { INBOX_TEXTS } from '../world/catalog.js';
import { MessageKind } from '../world/messageStore.js';
import type { Workspace } from '../world/workspace.js';

/** An outgoing message's delivery state at an instant. */
export interface OutgoingState {
  status: 'queued' | 'wired' | 'sent' | 'delivered' | 'failed';
  sentOnUs: number | null;
}

/**
 * Works out an outgoing message's status on the virtual clock: queued → wired → sent (→ delivered), or failed.
 * @returns status and sent_on.
 */
export function outgoingState(ws: Workspace, m: number, nowUs: number): OutgoingState {
  const age = nowUs - ws.messages.created[m]!;
  const h = hash(ws.seed, Stream.message, m, 30);
  const sentOnUs = ws.messages.created[m]! + US_PER_SECOND;
  if (age < US_PER_SECOND) return { status: 'queued', sentOnUs: null };
  if (h % 100 < 4 && age >= 3 * US_PER_SECOND) return { status: 'failed', sentOnUs: null };
  if (age < 2 * US_PER_SECOND) return { status: 'wired', sentOnUs };
  return { status: age >= 5 * US_PER_SECOND && h % 10 < 7 ? 'delivered' : 'sent', sentOnUs };
}

/** The folder a message is in at an instant (spec §5.9). */
export function folderOf(ws: Workspace, m: number, nowUs: number): 'inbox' | 'flows' | 'archived' | 'outbox' | 'sent' | 'failed' {
  const kind = ws.messages.kind[m];
  if (kind === MessageKind.inbox) return ws.messages.flags[m]! & 1 ? 'archived' : 'inbox';
  if (kind === MessageKind.flowReply) return 'flows';
  const { status } = outgoingState(ws, m, nowUs);
  return status === 'queued' ? 'outbox' : status === 'failed' ? 'failed' : 'sent';
}

/**
 * Renders one message in the read shape of spec §5.9.
 * @returns the JSON object.
 */
export function messageJson(ws: Workspace, m: number, nowUs: number): Record<string, unknown> {
  const store = ws.messages;
  const legacy = ws.config.variant === 'legacy2019';
  const kind = store.kind[m]!;
  const fromRun = kind === MessageKind.flowReply || kind === MessageKind.prompt;
  const run = fromRun ? store.ref[m]! : -1;
  const contact = fromRun ? ws.runs.contact[run]! : store.ref[m]!;
  const incoming = kind === MessageKind.inbox || kind === MessageKind.flowReply;
  let text: string;
  let flow: { uuid: string; name: string } | null = null;
  if (fromRun) {
    const spec = ws.flows[ws.starts[ws.runs.start[run]!]!.flowIndex]!;
    flow = { uuid: spec.uuid, name: spec.name };
    const step = ws.runs.timeline(run).steps[store.step[m]!]!;
    text = kind === MessageKind.prompt ? step.question.prompt : (step.answer?.input ?? '');
  } else if (kind === MessageKind.inbox) text = INBOX_TEXTS[store.step[m]! % INBOX_TEXTS.length]!;
  else text = store.texts.get(m)?.text ?? '';
  const out = incoming ? null : outgoingState(ws, m, nowUs);
  const archived = kind === MessageKind.inbox && (store.flags[m]! & 1) === 1;
  const labels = ws.labels.filter((_, k) => kind === MessageKind.inbox && store.flags[m]! & (2 << k));
  const urn = ws.contacts.urns(contact)[0] ?? null;
  const created = isoMicros(store.created[m]!);
  return {
    // Current servers still carry the deprecated integer id beside the uuid; 2019-era ones only the id.
    ...(legacy ? { id: m + 1 } : { uuid: store.uuid(m), id: m + 1 }),
    contact: { uuid: ws.contacts.uuid(contact), name: ws.contacts.name(contact) },
    urn: ws.config.anon && urn ? `${urn.split(':')[0]}:********` : urn,
    channel: { uuid: ws.uuid.replace(/^.{8}/, 'c4a1e7d0'), name: 'Simulated Channel' },
    direction: incoming ? 'in' : 'out',
    type: legacy ? (fromRun ? 'flow' : 'inbox') : 'text',
    status: incoming ? 'handled' : out!.status,
    visibility: archived ? 'archived' : 'visible',
    ...(legacy ? { archived } : {}),
    text,
    labels: labels.map((label) => ({ uuid: label.uuid, name: label.name })),
    flow,
    attachments: [],
    quick_replies: [],
    created_on: created,
    sent_on: out?.sentOnUs ? isoMicros(out.sentOnUs) : null,
    modified_on: created,
  };
}
