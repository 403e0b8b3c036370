import { z } from 'zod';
import { db } from '../../db/client.js';
import { recordSentBatch } from '../../db/pollRunStarts.js';
import type { PollRunStartBatch } from '../../generated/prisma/client.js';
import { logger } from '../../logger.js';
import { BadResponseError, RapidProError, ThrottledError, UnavailableError, type RapidProClient } from '../../rapidpro/client/index.js';
import { rapidProFor } from '../../sync/rapidProFor.js';
import { orgDb, type OrgDb } from '../../tenancy/orgDb.js';
import { Task, type TaskContext } from '../Task.js';

const StartPollRunSchema = z.object({
  orgId: z.number().int().positive(),
  startId: z.number().int().positive(),
});

/** Attempts of one start; an unreachable or throttled RapidPro is retried with exponential backoff. */
export const START_POLL_RUN_ATTEMPTS = 5;

/** Slack on the flow-start look-up window, for the difference between our clock and RapidPro's. */
const LOOKUP_MARGIN_MS = 10 * 60_000;

/** What the job did. */
export type StartJobOutcome = 'done' | 'failed' | 'skipped';

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/**
 * Sends a poll run start's batches to RapidPro (spec §9.4, §9.5). Every batch was written before
 * the job was queued; each one RapidPro accepts is recorded at once with its empty responses
 * (src/db/pollRunStarts.ts), so a retried job sends only the batches left. A batch whose answer was
 * lost (a 500 after the write, a crash before recording) is found again in RapidPro's flow starts
 * rather than sent twice: the client does that within one call, this job across attempts.
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
      let pending = await scoped.pollRunStartBatch.findMany({ where: { startId: start.id, rapidproStartUuid: null }, orderBy: { batchNo: 'asc' } });
      if (resumed && pending.length) pending = await this.recoverLost(scoped, client, { orgId: org.id, flow, since: start.createdAt }, pending);
      for (const batch of pending) {
        const sent = await client.startFlow({ flow, contacts: batch.contactUuids, restart_participants: true });
        await recordSentBatch(org.id, { batchId: batch.id, startUuid: sent.uuid, startedOn: new Date(sent.createdOn.ms) });
      }
      await finish(scoped, start.id, 'done', null);
      return 'done';
    } catch (error) {
      if (!(error instanceof RapidProError)) throw error;
      // An answer that may hide an applied write is retried (and looked up first); a refusal is final.
      const retryable = error instanceof UnavailableError || error instanceof ThrottledError || error instanceof BadResponseError;
      const lastAttempt = !context?.job || context.job.attemptsMade + 1 >= (context.job.opts.attempts ?? 1);
      if (retryable && !lastAttempt) {
        await scoped.pollRunStart.update({ where: { id: start.id }, data: { error: error.message.slice(0, 1000) } });
        throw error;
      }
      logger.warn({ orgId: org.id, startId: start.id, err: error }, 'poll run start failed');
      await finish(scoped, start.id, 'failed', error.message);
      return 'failed';
    }
  }

  /**
   * Records the pending batches RapidPro already started on an earlier attempt, matched by flow and
   * exact contact set among the flow starts since this start was created (on RapidPro's clock);
   * starts already recorded for any batch of the org are not ours to take.
   * @returns the batches still to send.
   */
  private async recoverLost(scoped: OrgDb, client: RapidProClient, start: { orgId: number; flow: string; since: Date }, pending: PollRunStartBatch[]) {
    if (!client.serverTime()) await client.workspace();
    const serverNow = client.serverTime()?.getTime() ?? Date.now();
    const after = new Date(serverNow - (Date.now() - start.since.getTime()) - LOOKUP_MARGIN_MS);
    const candidates = (await client.flowStarts({ after }).all()).filter((s) => s.flow.uuid === start.flow);
    if (!candidates.length) return pending;
    const taken = await scoped.pollRunStartBatch.findMany({ where: { rapidproStartUuid: { in: candidates.map((s) => s.uuid) } }, select: { rapidproStartUuid: true } });
    const used = new Set(taken.map((b) => b.rapidproStartUuid));
    const left: PollRunStartBatch[] = [];
    for (const batch of pending) {
      const found = candidates.find((s) => !used.has(s.uuid) && sameSet(batch.contactUuids, s.contacts.map((c) => c.uuid)));
      if (!found) {
        left.push(batch);
        continue;
      }
      used.add(found.uuid);
      await recordSentBatch(start.orgId, { batchId: batch.id, startUuid: found.uuid, startedOn: new Date(found.createdOn.ms) });
    }
    return left;
  }
}

/** Ends a start: done, or failed with RapidPro's explanation. */
async function finish(scoped: OrgDb, startId: number, status: 'done' | 'failed', error: string | null) {
  await scoped.pollRunStart.update({ where: { id: startId }, data: { status, error: error?.slice(0, 1000) ?? null, finishedAt: new Date() } });
}

export const startPollRunTask = new StartPollRunTask();
