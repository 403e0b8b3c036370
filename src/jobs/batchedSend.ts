import { BadResponseError, ThrottledError, UnavailableError, type RapidProClient, type RapidProError } from '../rapidpro/client/index.js';
import type { TaskContext } from './Task.js';

/** Slack on the look-up window, for the difference between our clock and RapidPro's. */
const LOOKUP_MARGIN_MS = 10 * 60_000;

/** A batch of at most 100 recipients, written before any call; it gets RapidPro's key once sent. */
export interface PendingBatch {
  id: number;
  contactUuids: string[];
}

/** What RapidPro created for a batch (a flow start, a broadcast), as returned or found again. */
export interface RemoteBatch {
  /** The object's uuid (or integer id on older servers), stored on the batch. */
  key: string;
  contactUuids: string[];
  /** Its created_on, on RapidPro's clock. */
  createdOn: Date;
  /** Its status as RapidPro reported it. */
  status: string | null;
}

/**
 * One send of pre-written batches: a poll run start (flow starts) or a message (broadcasts). The
 * job that owns it supplies the calls; {@link sendPendingBatches} supplies the order and the guard.
 */
export interface BatchedSend<B extends PendingBatch> {
  /** Batches without a RapidPro key, in sending order. */
  pending: B[];
  /** An earlier attempt got as far as RapidPro, so an answer may have been lost. */
  resumed: boolean;
  /** When the batches were written, on our clock. */
  writtenAt: Date;
  /** What RapidPro created of this send's kind (same flow, same text) since a time on its clock. */
  listSince(after: Date): Promise<RemoteBatch[]>;
  /** The keys among these that a batch of the org already holds: not ours to take again. */
  recordedKeys(keys: string[]): Promise<Set<string>>;
  /** Sends one batch, through the client's duplicate guard. */
  send(batch: B): Promise<RemoteBatch>;
  /** Records that RapidPro created `sent` for the batch (only when the batch has no key yet). */
  record(batch: B, sent: RemoteBatch): Promise<void>;
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/**
 * Sends the batches still pending, each recorded as soon as RapidPro accepts it, so a retried job
 * sends only what is left. On a resumed send, batches whose answer was lost (a 500 after the
 * write, a crash before recording) are first looked for among RapidPro's objects created since the
 * batches were written, matched by exact contact set, and recorded instead of sent twice: the
 * client guards within one call, this across attempts.
 * @param client the org's RapidPro client.
 * @param plan the batches and the calls that send, list and record them.
 */
export async function sendPendingBatches<B extends PendingBatch>(client: RapidProClient, plan: BatchedSend<B>): Promise<void> {
  const pending = plan.resumed && plan.pending.length ? await recoverLost(client, plan) : plan.pending;
  for (const batch of pending) await plan.record(batch, await plan.send(batch));
}

async function recoverLost<B extends PendingBatch>(client: RapidProClient, plan: BatchedSend<B>): Promise<B[]> {
  if (!client.serverTime()) await client.workspace();
  const serverNow = client.serverTime()?.getTime() ?? Date.now();
  const after = new Date(serverNow - (Date.now() - plan.writtenAt.getTime()) - LOOKUP_MARGIN_MS);
  const candidates = await plan.listSince(after);
  if (!candidates.length) return plan.pending;
  const used = await plan.recordedKeys(candidates.map((c) => c.key));
  const left: B[] = [];
  for (const batch of plan.pending) {
    const found = candidates.find((c) => !used.has(c.key) && sameSet(batch.contactUuids, c.contactUuids));
    if (!found) {
      left.push(batch);
      continue;
    }
    used.add(found.key);
    await plan.record(batch, found);
  }
  return left;
}

/**
 * Whether a RapidPro failure of a sending job should be retried by the queue: an answer that may
 * hide an applied write (unavailable, throttled, garbled) is retried while attempts remain (and
 * looked up first); a refusal is final.
 * @param error the failure.
 * @param context the worker's context (none when run by hand: one attempt).
 * @returns true to rethrow for a retry, false to record the failure.
 */
export function retryLater(error: RapidProError, context?: TaskContext): boolean {
  const retryable = error instanceof UnavailableError || error instanceof ThrottledError || error instanceof BadResponseError;
  const lastAttempt = !context?.job || context.job.attemptsMade + 1 >= (context.job.opts.attempts ?? 1);
  return retryable && !lastAttempt;
}
