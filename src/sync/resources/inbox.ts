import { applyInboxPage, markMissingAsDeleted, type InboxRow } from '../../db/inbox.js';
import { pgExecutor } from '../../db/executor.js';
import { withPgTransaction } from '../../db/pool.js';
import { env } from '../../env.js';
import type { Message } from '../../rapidpro/client/index.js';
import { orgDb } from '../../tenancy/orgDb.js';
import type { SyncContext, Syncer } from '../runSync.js';

const DAY_MS = 24 * 3600_000;

/** Every sync re-reads this window of the inbox to notice archived and deleted messages (rapidpro-api §7.3). */
export const INBOX_REREAD_MS = 7 * DAY_MS;

/** Rows written while a walk reads may reach the replica late: a walk starts this much before the last one. */
export const INBOX_OVERLAP_MS = 5 * 60_000;

/** A sent message is listed under "sent" only once delivered to the channel: re-read that long. */
export const SENT_LAG_MS = 30 * 60_000;

/** Statuses of an outgoing message still on its way; such replies are looked for again. */
const ON_ITS_WAY = ['pending', 'initializing', 'queued', 'wired'];

/**
 * Converts a RapidPro message to an inbox row.
 * @param message the message as the client reads it.
 * @returns the row, or null for a message with neither a uuid nor an id (nothing to key it by).
 */
export function inboxRow(message: Message): InboxRow | null {
  if (message.uuid === null && message.id === null) return null;
  const date = (time: { ms: number } | null) => (time ? new Date(time.ms) : null);
  return {
    rapidproKey: message.key,
    contactUuid: message.contact.uuid,
    text: message.text,
    direction: message.direction === 'in' ? 'i' : 'o',
    visibility: message.visibility === 'archived' ? 'archived' : 'visible',
    status: message.status,
    createdOn: new Date(message.createdOn.ms),
    sentOn: date(message.sentOn),
    modifiedOn: date(message.modifiedOn),
  };
}

/**
 * The inbox (spec §16.3, rapidpro-api §7.3): messages outside flows, incoming (folders inbox and
 * archived) and sent (folders sent and failed, messages without a flow: our broadcasts and replies,
 * and anyone's messages from RapidPro itself), upserted by (org, RapidPro id).
 *
 * RapidPro filters messages on created_on only, and archiving or deleting changes no date. So the
 * first sync reads a window (INBOX_FIRST_IMPORT_DAYS, 7 by default); every later one reads from the
 * watermark (RapidPro's clock when the previous sync began) minus an overlap, or the last 7 days if
 * that is longer, and marks the incoming messages of that window that RapidPro no longer lists as
 * deleted. Sent messages are read from the watermark minus SENT_LAG_MS, or from the oldest reply
 * still on its way. Messages of contacts unknown here are skipped and counted. The windows are
 * small, so a walk is not resumed: a throttled or failed sync reads its windows again.
 */
export const inboxSyncer: Syncer = {
  resource: 'inbox',
  async run(context) {
    const { client, state } = context;
    if (!client.serverTime()) await client.workspace();
    const now = (client.serverTime() ?? new Date()).getTime();
    const reread = now - INBOX_REREAD_MS;
    const from = new Date(state.watermark ? Math.min(state.watermark.getTime() - INBOX_OVERLAP_MS, reread) : now - env().INBOX_FIRST_IMPORT_DAYS * DAY_MS);
    const onItsWay = await orgDb(context.org.id).inboxMessage.findFirst({
      where: { direction: 'o', status: { in: ON_ITS_WAY }, createdOn: { gte: new Date(reread) } },
      orderBy: { createdOn: 'asc' },
      select: { createdOn: true },
    });
    const sentFrom = new Date(Math.min(state.watermark ? state.watermark.getTime() - SENT_LAG_MS : from.getTime(), onItsWay?.createdOn.getTime() ?? Infinity));

    const seen: string[] = [];
    for (const folder of ['inbox', 'archived']) await walk(context, folder, from, (m) => m.direction === 'in', seen);
    for (const folder of ['sent', 'failed']) await walk(context, folder, sentFrom, (m) => m.direction === 'out' && m.flow === null, []);
    await withPgTransaction(async (client) => {
      const deleted = await markMissingAsDeleted(client, context.org.id, from, seen);
      await context.checkpoint(pgExecutor(client), { watermark: new Date(now), counts: { deleted } });
    });
  },
};

/** Reads one folder from `after`, applying and checkpointing page by page; collects the ids read. */
async function walk(context: SyncContext, folder: string, after: Date, keep: (m: Message) => boolean, seen: string[]) {
  for await (const page of context.client.messages({ folder, after }).pages()) {
    const kept = page.items.filter(keep);
    const rows = new Map<string, InboxRow>();
    for (const row of kept.map(inboxRow)) if (row) rows.set(row.rapidproKey, row);
    seen.push(...rows.keys());
    const unkeyed = kept.length - kept.map(inboxRow).filter(Boolean).length;
    await withPgTransaction(async (client) => {
      const counts = await applyInboxPage(client, context.org.id, [...rows.values()]);
      await context.checkpoint(pgExecutor(client), { counts: { ...counts, ...(unkeyed ? { failed: unkeyed } : {}) } });
    });
  }
}
