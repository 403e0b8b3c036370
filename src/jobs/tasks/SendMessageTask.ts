import { z } from 'zod';
import { db } from '../../db/client.js';
import type { MessageBatch } from '../../generated/prisma/client.js';
import { logger } from '../../logger.js';
import { RapidProError, type Broadcast } from '../../rapidpro/client/index.js';
import { rapidProFor } from '../../sync/rapidProFor.js';
import { orgDb, type OrgDb } from '../../tenancy/orgDb.js';
import { retryLater, sendPendingBatches, type RemoteBatch } from '../batchedSend.js';
import { Task, type TaskContext } from '../Task.js';

const SendMessageSchema = z.object({
  orgId: z.number().int().positive(),
  messageId: z.number().int().positive(),
});

/** Attempts of one message; an unreachable or throttled RapidPro is retried with exponential backoff. */
export const SEND_MESSAGE_ATTEMPTS = 5;

/** What the job did. */
export type SendJobOutcome = 'sent' | 'failed' | 'skipped';

/**
 * Broadcasts a message's batches (spec §16.1 `send-message`): status pending → sending → sent, or
 * failed with RapidPro's reason. Every batch was written before the job was queued and gets its
 * broadcast id as soon as RapidPro accepts it, so a retried job sends only the batches left; a
 * batch whose answer was lost is found again among the broadcasts rather than sent twice
 * (src/jobs/batchedSend.ts). A batch's sentAt is the broadcast's created_on, on RapidPro's clock.
 */
class SendMessageTask extends Task<typeof SendMessageSchema> {
  readonly name = 'send-message';
  readonly schema = SendMessageSchema;
  override readonly queue = 'sync' as const;
  override readonly options = { attempts: SEND_MESSAGE_ATTEMPTS, backoff: { type: 'exponential', delay: 5_000 } };

  /**
   * The de-duplicating job id of a message.
   * @param messageId the message.
   * @returns the job id.
   */
  jobId(messageId: number): string {
    return `send-message-${messageId}`;
  }

  /**
   * Queues the sending of a message (call after the transaction that wrote it commits).
   * @param orgId the org.
   * @param messageId the message.
   * @returns the job id.
   */
  enqueue(orgId: number, messageId: number) {
    return this.schedule({ orgId, messageId }, { jobId: this.jobId(messageId) });
  }

  async perform(payload: z.infer<typeof SendMessageSchema>, context?: TaskContext): Promise<SendJobOutcome> {
    const scoped = orgDb(payload.orgId);
    const message = await scoped.message.findFirst({ where: { id: payload.messageId } });
    if (!message || message.status === 'sent' || message.status === 'failed') return 'skipped';
    const org = await db().org.findUnique({ where: { id: payload.orgId } });
    if (!org?.isActive || !org.apiTokenEncrypted) {
      await finish(scoped, message.id, 'failed', 'This organization is not connected to RapidPro.');
      return 'failed';
    }
    // "sending" on arrival means an earlier attempt got as far as RapidPro: some answer may be lost.
    const resumed = message.status === 'sending';
    await scoped.message.update({ where: { id: message.id }, data: { status: 'sending' } });
    const client = rapidProFor(org);
    try {
      await sendPendingBatches<MessageBatch>(client, {
        pending: await scoped.messageBatch.findMany({ where: { messageId: message.id, rapidproBroadcastId: null }, orderBy: { batchNo: 'asc' } }),
        resumed,
        writtenAt: message.createdAt,
        listSince: async (after) => (await client.broadcasts({ after }).all()).filter((b) => Object.values(b.text).includes(message.text)).map(remoteBroadcast),
        recordedKeys: async (keys) => {
          const taken = await scoped.messageBatch.findMany({ where: { rapidproBroadcastId: { in: keys } }, select: { rapidproBroadcastId: true } });
          return new Set(taken.map((b) => b.rapidproBroadcastId!));
        },
        send: async (batch) => remoteBroadcast(await client.sendBroadcast({ text: message.text, contacts: batch.contactUuids })),
        record: async (batch, sent) => {
          await scoped.messageBatch.updateMany({
            where: { id: batch.id, rapidproBroadcastId: null },
            data: { rapidproBroadcastId: sent.key, rapidproStatus: sent.status?.slice(0, 16) ?? null, sentAt: sent.createdOn, checkedAt: new Date() },
          });
        },
      });
      await finish(scoped, message.id, 'sent', null);
      return 'sent';
    } catch (error) {
      if (!(error instanceof RapidProError)) throw error;
      if (retryLater(error, context)) {
        await scoped.message.update({ where: { id: message.id }, data: { error: error.message.slice(0, 1000) } });
        throw error;
      }
      logger.warn({ orgId: org.id, messageId: message.id, err: error }, 'message send failed');
      await finish(scoped, message.id, 'failed', error.message);
      return 'failed';
    }
  }
}

/** A broadcast as the batch sender compares and records it. */
function remoteBroadcast(broadcast: Broadcast): RemoteBatch {
  return { key: broadcast.key, contactUuids: broadcast.contacts.map((c) => c.uuid), createdOn: new Date(broadcast.createdOn.ms), status: broadcast.status };
}

/** Ends a message: sent, or failed with RapidPro's explanation. */
async function finish(scoped: OrgDb, messageId: number, status: 'sent' | 'failed', error: string | null) {
  await scoped.message.update({ where: { id: messageId }, data: { status, error: error?.slice(0, 1000) ?? null, ...(status === 'sent' ? { sentAt: new Date() } : {}) } });
}

export const sendMessageTask = new SendMessageTask();
