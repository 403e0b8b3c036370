import { db } from '../db/client.js';
import { recordReply } from '../db/messages.js';
import { logger } from '../logger.js';
import { RapidProError, UnavailableError } from '../rapidpro/client/index.js';
import { refreshInBand } from '../sync/inBand.js';
import { rapidProFor } from '../sync/rapidProFor.js';
import { inboxRow } from '../sync/resources/inbox.js';

/** What a reply needs. */
export interface ReplyInput {
  /** An active contact the sender may open (the caller checks its region). */
  contact: { id: number; uuid: string };
  /** Trimmed, not blank, at most 640 characters. */
  text: string;
  userId: number;
  /** The sender's current region, or null for "All regions". */
  regionId: number | null;
}

/** What a reply did: sent; refused by RapidPro; or unknown (no answer: it may have gone). */
export type ReplyOutcome =
  | { ok: true; messageId: number }
  | { ok: false; reason: 'not-connected' | 'refused' | 'unknown-outcome'; detail: string };

/**
 * Replies to a contact from their conversation (spec §16.3): sends the text with RapidPro's message
 * endpoint (never retried: a lost answer cannot be told from a lost send), records the message and
 * puts RapidPro's outgoing message in the conversation at once, then runs the org's inbox sync so
 * the page shows the latest state.
 * @param orgId the org.
 * @param input the contact, the text, the sender and their region.
 * @returns the message, or why it was not (or may not have been) sent.
 */
export async function replyToContact(orgId: number, input: ReplyInput): Promise<ReplyOutcome> {
  const org = await db().org.findUnique({ where: { id: orgId } });
  if (!org?.apiTokenEncrypted) return { ok: false, reason: 'not-connected', detail: 'This organization is not connected to RapidPro yet.' };
  const base = { contactId: input.contact.id, text: input.text, sentById: input.userId, regionId: input.regionId };
  let sent;
  try {
    sent = await rapidProFor(org).sendMessage({ contact: input.contact.uuid, text: input.text });
  } catch (error) {
    if (!(error instanceof RapidProError)) throw error;
    logger.warn({ orgId, contactId: input.contact.id, err: error }, 'reply not sent');
    await recordReply(orgId, { ...base, status: 'failed', error: error.message.slice(0, 1000), sent: null });
    return { ok: false, reason: error instanceof UnavailableError ? 'unknown-outcome' : 'refused', detail: error.message };
  }
  const messageId = await recordReply(orgId, { ...base, status: 'sent', error: null, sent: inboxRow(sent) });
  await refreshInBand(orgId, 'inbox');
  return { ok: true, messageId };
}
