import type { Message, Poll, PollRun } from '../../../generated/prisma/client.js';
import { msg } from '../../../i18n/msg.js';
import { displayStatus, type DisplayStatus } from '../../../messages/status.js';
import { displayName } from '../../../polls/flows.js';
import { orgDb } from '../../../tenancy/orgDb.js';

const GROUP_LABELS: Record<string, string> = {
  all: msg('All participants'),
  respondents: msg('Respondents'),
  non_respondents: msg('Non-respondents'),
  reply: msg('Reply from the inbox'),
};

const STATUS_LABELS: Record<DisplayStatus, { label: string; tone: string }> = {
  pending: { label: msg('Waiting to send'), tone: 'secondary' },
  sending: { label: msg('Sending'), tone: 'info' },
  queued: { label: msg('Queued in RapidPro'), tone: 'info' },
  sent: { label: msg('Sent'), tone: 'success' },
  failed: { label: msg('Failed'), tone: 'danger' },
};

/** A message with what the log shows of it. */
export type LoggedMessage = Message & {
  batches: { rapidproStatus: string | null }[];
  pollRun: (PollRun & { poll: Poll }) | null;
  recipients: { contactId: number }[];
};

/** What the message log needs besides the messages: names by id. */
export interface LogNames {
  users: Map<number, string>;
  regions: Map<number, string>;
  contacts: Map<number, string>;
}

/** Includes for {@link presentMessage}: the batches' statuses, the poll run, and a reply's contact. */
export const LOGGED_MESSAGE_INCLUDE = {
  batches: { select: { rapidproStatus: true } },
  pollRun: { include: { poll: true } },
  recipients: { select: { contactId: true }, take: 1 },
} as const;

/**
 * A message for the message log and a contact's messages (spec §16.2).
 * @param message the message with its batches, poll run and (for a reply) its contact.
 * @param names users, regions and contacts by id.
 * @param t the translator.
 * @returns the row.
 */
export function presentMessage(message: LoggedMessage, names: LogNames, t: (key: string) => string) {
  const status = displayStatus(message.status, message.batches.map((b) => b.rapidproStatus));
  const replyTo = message.recipientGroup === 'reply' ? (message.recipients[0]?.contactId ?? null) : null;
  return {
    id: message.id,
    sentOn: message.sentAt ?? message.createdAt,
    sentBy: message.sentById ? (names.users.get(message.sentById) ?? '') : '',
    pollRun: message.pollRun ? { id: message.pollRun.id, pollName: displayName(message.pollRun.poll), conductedOn: message.pollRun.conductedOn } : null,
    replyTo: replyTo ? { id: replyTo, name: names.contacts.get(replyTo) ?? '' } : null,
    recipients: t(GROUP_LABELS[message.recipientGroup] ?? message.recipientGroup),
    recipientCount: message.recipientCount,
    region: message.regionId ? (names.regions.get(message.regionId) ?? '') : t('All'),
    text: message.text,
    status: t(STATUS_LABELS[status].label),
    statusTone: STATUS_LABELS[status].tone,
  };
}

/**
 * Loads the names a page of messages shows: senders, regions and reply contacts.
 * @param orgId the org.
 * @param messages the page of messages.
 * @returns names by id.
 */
export async function loadLogNames(orgId: number, messages: LoggedMessage[]): Promise<LogNames> {
  const scoped = orgDb(orgId);
  const ids = <T>(values: (T | null | undefined)[]) => [...new Set(values.filter((v): v is T => v !== null && v !== undefined))];
  const [users, regions, contacts] = await Promise.all([
    scoped.user.findMany({ where: { id: { in: ids(messages.map((m) => m.sentById)) } }, select: { id: true, name: true } }),
    scoped.region.findMany({ where: { id: { in: ids(messages.map((m) => m.regionId)) } }, select: { id: true, name: true } }),
    scoped.contact.findMany({ where: { id: { in: ids(messages.filter((m) => m.recipientGroup === 'reply').map((m) => m.recipients[0]?.contactId)) } }, select: { id: true, name: true, urn: true } }),
  ]);
  return {
    users: new Map(users.map((u) => [u.id, u.name])),
    regions: new Map(regions.map((r) => [r.id, r.name])),
    contacts: new Map(contacts.map((c) => [c.id, c.name || c.urn?.replace(/^[a-z]+:/, '') || ''])),
  };
}
