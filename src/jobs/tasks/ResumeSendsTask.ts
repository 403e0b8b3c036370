import { z } from 'zod';
import { db } from '../../db/client.js';
import { logger } from '../../logger.js';
import { UNFINISHED_START_STATUSES } from '../../commands/pollRunStarter.js';
import { getQueue } from '../queues.js';
import { Task } from '../Task.js';
import { sendMessageTask } from './SendMessageTask.js';
import { startPollRunTask } from './StartPollRunTask.js';

const ResumeSendsSchema = z.object({});

/** A send still unfinished this long after it was written has lost its job, or its job gave up. */
export const STUCK_AFTER_MS = 10 * 60_000;

const UNFINISHED_MESSAGE_STATUSES = ['pending', 'sending'];

/** One kind of send: its unfinished rows, its job id, and how to queue it or give it up. */
interface SendKind {
  name: string;
  unfinished: (before: Date) => Promise<{ id: number; orgId: number }[]>;
  jobId: (id: number) => string;
  enqueue: (orgId: number, id: number) => Promise<unknown>;
  giveUp: (id: number, reason: string) => Promise<unknown>;
}

const KINDS: SendKind[] = [
  {
    name: 'message',
    unfinished: (before) => db().message.findMany({ where: { status: { in: UNFINISHED_MESSAGE_STATUSES }, createdAt: { lt: before } }, select: { id: true, orgId: true } }),
    jobId: (id) => sendMessageTask.jobId(id),
    enqueue: (orgId, id) => sendMessageTask.enqueue(orgId, id),
    giveUp: (id, error) => db().message.update({ where: { id }, data: { status: 'failed', error } }),
  },
  {
    name: 'poll run start',
    unfinished: (before) => db().pollRunStart.findMany({ where: { status: { in: UNFINISHED_START_STATUSES }, createdAt: { lt: before } }, select: { id: true, orgId: true } }),
    jobId: (id) => startPollRunTask.jobId(id),
    enqueue: (orgId, id) => startPollRunTask.enqueue(orgId, id),
    giveUp: (id, error) => db().pollRunStart.update({ where: { id }, data: { status: 'failed', error, finishedAt: new Date() } }),
  },
];

/**
 * Every five minutes, finds messages and poll-run starts left unfinished: a send whose job was never
 * queued (Redis failed after the rows were committed) is queued again, and one whose job used up
 * its attempts on an error other than RapidPro's is marked failed with that error, so nothing stays
 * "pending" or "sending" for ever. Both jobs send only the batches RapidPro has not accepted.
 */
class ResumeSendsTask extends Task<typeof ResumeSendsSchema> {
  readonly name = 'resume-sends';
  readonly schema = ResumeSendsSchema;
  override readonly queue = 'sync' as const;
  override readonly options = { attempts: 1, removeOnComplete: true, removeOnFail: 100 };
  override readonly repeat = { every: 5 * 60_000 };

  async perform() {
    const before = new Date(Date.now() - STUCK_AFTER_MS);
    const queue = getQueue('sync');
    const outcome = { requeued: 0, failed: 0 };
    for (const kind of KINDS) {
      for (const row of await kind.unfinished(before)) {
        const job = await queue.getJob(kind.jobId(row.id));
        const state = job ? await job.getState() : 'missing';
        if (state === 'missing' || state === 'unknown') {
          logger.warn({ orgId: row.orgId, id: row.id, kind: kind.name }, 'unfinished send without a job: queued again');
          await kind.enqueue(row.orgId, row.id);
          outcome.requeued++;
        } else if (state === 'failed') {
          await kind.giveUp(row.id, (job?.failedReason || 'The job failed.').slice(0, 1000));
          outcome.failed++;
        }
      }
    }
    return outcome;
  }
}

export const resumeSendsTask = new ResumeSendsTask();
