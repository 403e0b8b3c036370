import { z } from 'zod';
import { db } from '../../db/client.js';
import { recordSentBatch } from '../../db/pollRunStarts.js';
import type { PollRunStartBatch } from '../../generated/prisma/client.js';
import { logger } from '../../logger.js';
import { RapidProError, type FlowStart } from '../../rapidpro/client/index.js';
import { rapidProFor } from '../../sync/rapidProFor.js';
import { orgDb, type OrgDb } from '../../tenancy/orgDb.js';
import { retryLater, sendPendingBatches, type RemoteBatch } from '../batchedSend.js';
import { Task, type TaskContext } from '../Task.js';

const StartPollRunSchema = z.object({
  orgId: z.number().int().positive(),
  startId: z.number().int().positive(),
});

/** Attempts of one start; an unreachable or throttled RapidPro is retried with exponential backoff. */
export const START_POLL_RUN_ATTEMPTS = 5;

/** What the job did. */
export type StartJobOutcome = 'done' | 'failed' | 'skipped';

/**
 * Sends a poll run start's batches to RapidPro (spec §9.4, §9.5). Every batch was written before
 * the job was queued; each one RapidPro accepts is recorded at once with its empty responses
 * (src/db/pollRunStarts.ts), so a retried job sends only the batches left. A batch whose answer was
 * lost (a 500 after the write, a crash before recording) is found again in RapidPro's flow starts
 * rather than sent twice: the client does that within one call, src/jobs/batchedSend.ts across attempts.
 */
class StartPollRunTask extends Task<typeof StartPollRunSchema> {
  readonly name = 'start-poll-run';
  readonly schema = StartPollRunSchema;
  override readonly queue = 'sync' as const;
  override readonly options = { attempts: START_POLL_RUN_ATTEMPTS, backoff: { type: 'exponential', delay: 5_000 } };

  /**
   * The de-duplicating job id of a start.
   * @param startId the start.
   * @returns the job id.
   */
  jobId(startId: number): string {
    return `start-poll-run-${startId}`;
  }

  /**
   * Queues the sending of a start (call after the transaction that wrote it commits).
   * @param orgId the org.
   * @param startId the start.
   * @returns the job id.
   */
  enqueue(orgId: number, startId: number) {
    return this.schedule({ orgId, startId }, { jobId: this.jobId(startId) });
  }

  async perform(payload: z.infer<typeof StartPollRunSchema>, context?: TaskContext): Promise<StartJobOutcome> {
    const scoped = orgDb(payload.orgId);
    const start = await scoped.pollRunStart.findFirst({ where: { id: payload.startId }, include: { pollRun: { include: { poll: true } } } });
    if (!start || start.status === 'done' || start.status === 'failed') return 'skipped';
    const org = await db().org.findUnique({ where: { id: payload.orgId } });
    if (!org?.isActive || !org.apiTokenEncrypted) {
      await finish(scoped, start.id, 'failed', 'This organization is not connected to RapidPro.');
      return 'failed';
    }
    // "sending" on arrival means an earlier attempt got as far as RapidPro: some answer may be lost.
    const resumed = start.status === 'sending';
    await scoped.pollRunStart.update({ where: { id: start.id }, data: { status: 'sending' } });
    const client = rapidProFor(org);
    const flow = start.pollRun.poll.flowUuid;
    try {
      await sendPendingBatches<PollRunStartBatch>(client, {
        pending: await scoped.pollRunStartBatch.findMany({ where: { startId: start.id, rapidproStartUuid: null }, orderBy: { batchNo: 'asc' } }),
        resumed,
        writtenAt: start.createdAt,
        listSince: async (after) => (await client.flowStarts({ after }).all()).filter((s) => s.flow.uuid === flow).map(remoteStart),
        recordedKeys: async (keys) => {
          const taken = await scoped.pollRunStartBatch.findMany({ where: { rapidproStartUuid: { in: keys } }, select: { rapidproStartUuid: true } });
          return new Set(taken.map((b) => b.rapidproStartUuid!));
        },
        send: async (batch) => remoteStart(await client.startFlow({ flow, contacts: batch.contactUuids, restart_participants: true })),
        record: async (batch, sent) => {
          await recordSentBatch(org.id, { batchId: batch.id, startUuid: sent.key, startedOn: sent.createdOn });
        },
      });
      await finish(scoped, start.id, 'done', null);
      return 'done';
    } catch (error) {
      if (!(error instanceof RapidProError)) throw error;
      if (retryLater(error, context)) {
        await scoped.pollRunStart.update({ where: { id: start.id }, data: { error: error.message.slice(0, 1000) } });
        throw error;
      }
      logger.warn({ orgId: org.id, startId: start.id, err: error }, 'poll run start failed');
      await finish(scoped, start.id, 'failed', error.message);
      return 'failed';
    }
  }
}

/** A flow start as the batch sender compares and records it. */
function remoteStart(start: FlowStart): RemoteBatch {
  return { key: start.uuid, contactUuids: start.contacts.map((c) => c.uuid), createdOn: new Date(start.createdOn.ms), status: start.status };
}

/** Ends a start: done, or failed with RapidPro's explanation. */
async function finish(scoped: OrgDb, startId: number, status: 'done' | 'failed', error: string | null) {
  await scoped.pollRunStart.update({ where: { id: startId }, data: { status, error: error?.slice(0, 1000) ?? null, finishedAt: new Date() } });
}

export const startPollRunTask = new StartPollRunTask();
