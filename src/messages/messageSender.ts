import { createParticipantMessage, type RecipientGroup } from '../db/messages.js';
import { sendMessageTask } from '../jobs/tasks/SendMessageTask.js';

/** RapidPro's longest message (spec §6.12). */
export const MESSAGE_TEXT_MAX = 640;

/** What sending to a poll run's participants needs. */
export interface ParticipantMessageInput {
  /** A poll run of the org that covers the sender's region context (the caller checks, §12.2). */
  pollRunId: number;
  recipientGroup: RecipientGroup;
  /** Trimmed, 1 to {@link MESSAGE_TEXT_MAX} characters. */
  text: string;
  /** The sender's current region, or null for "All regions". */
  regionId: number | null;
  /** The data regions of the sender's context (§5.1); null for every region. */
  regionIds: number[] | null;
  /** Who sends it. */
  userId: number;
}

/** What a send did. */
export type MessageOutcome = { ok: true; messageId: number; recipients: number } | { ok: false; reason: 'no-recipients' };

/**
 * Sends a message to a poll run's participants (spec §16.1): one transaction writes the message,
 * its recipients and its broadcast batches of at most 100; then the send job is queued, which
 * broadcasts each batch once.
 * @param orgId the org.
 * @param input the poll run, group, text, regions and sender.
 * @returns the message and its number of recipients; or why nothing was sent.
 */
export async function sendToParticipants(orgId: number, input: ParticipantMessageInput): Promise<MessageOutcome> {
  const created = await createParticipantMessage(orgId, {
    pollRunId: input.pollRunId,
    recipientGroup: input.recipientGroup,
    text: input.text,
    regionId: input.regionId,
    regionIds: input.regionIds,
    sentById: input.userId,
  });
  if (!created) return { ok: false, reason: 'no-recipients' };
  await sendMessageTask.enqueue(orgId, created.messageId);
  return { ok: true, ...created };
}
