import type { InboxMessage } from '../../../generated/prisma/client.js';
import type { LatestMessage, RegionReplyStats } from '../../../db/inbox.js';
import { msg } from '../../../i18n/msg.js';

const DIRECTIONS: Record<string, string> = { i: msg('Incoming'), o: msg('Outgoing') };

const STATUSES: Record<string, string> = {
  archived: msg('Archived'),
  queued: msg('Queued'),
  wired: msg('Queued'),
  pending: msg('Queued'),
  sent: msg('Sent'),
  delivered: msg('Delivered'),
  read: msg('Read'),
  failed: msg('Failed'),
  errored: msg('Failed'),
};

/** How a message stands: archived (incoming), or its delivery status (outgoing). */
function statusOf(message: { direction: string; visibility: string; status: string | null }, t: (key: string) => string): string {
  if (message.direction === 'i') return message.visibility === 'archived' ? t(STATUSES.archived!) : '';
  return message.status && STATUSES[message.status] ? t(STATUSES[message.status]!) : (message.status ?? '');
}

/**
 * A contact's latest message for the inbox list (spec §16.3).
 * @param row the row.
 * @param t the translator.
 * @returns what the list shows.
 */
export function presentLatest(row: LatestMessage, t: (key: string) => string) {
  return {
    contactId: row.contactId,
    contact: row.contactName || row.contactUrn?.replace(/^[a-z]+:/, '') || t('Unknown'),
    incoming: row.direction === 'i',
    direction: t(DIRECTIONS[row.direction]!),
    text: row.text ?? '',
    status: statusOf(row, t),
    createdOn: row.createdOn,
    sentOn: row.sentOn,
  };
}

/**
 * One message of a conversation.
 * @param message the message.
 * @param t the translator.
 * @returns what the conversation shows.
 */
export function presentConversationMessage(message: InboxMessage, t: (key: string) => string) {
  return {
    id: message.id,
    incoming: message.direction === 'i',
    direction: t(DIRECTIONS[message.direction]!),
    text: message.text ?? '',
    status: statusOf(message, t),
    createdOn: message.createdOn,
    sentOn: message.sentOn,
  };
}

/**
 * Formats a duration in whole minutes, hours and days, never abbreviated to "1.2k".
 * @param seconds the duration.
 * @param t the translator.
 * @returns e.g. "2 h 5 min" or "3 d 4 h".
 */
export function formatWait(seconds: number, t: (key: string, vars?: object) => string): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return t('{{count}} min', { count: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t('{{hours}} h {{minutes}} min', { hours, minutes: minutes % 60 });
  return t('{{days}} d {{hours}} h', { days: Math.floor(hours / 24), hours: hours % 24 });
}

/**
 * Reply statistics per region, in the region tree's order, with the regions' names.
 * @param stats the statistics of the regions with messages.
 * @param regions the region context's regions (tree order).
 * @param t the translator.
 * @returns one row per region that has messages.
 */
export function presentReplyStats(stats: RegionReplyStats[], regions: { id: number; name: string }[], t: (key: string, vars?: object) => string) {
  const byRegion = new Map(stats.map((s) => [s.regionId, s]));
  return regions
    .filter((r) => byRegion.has(r.id))
    .map((r) => {
      const s = byRegion.get(r.id)!;
      return { region: r.name, unanswered: s.unanswered, answered: s.answered, medianReply: s.medianReplySeconds === null ? null : formatWait(s.medianReplySeconds, t) };
    });
}
