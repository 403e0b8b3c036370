import type { Prisma } from '../generated/prisma/client.js';
import { startPollRunTask } from '../jobs/tasks/StartPollRunTask.js';
import { inBatches, regionLinks } from '../pollruns/startRules.js';
import { orgDb } from '../tenancy/orgDb.js';

/** What starting a poll for a region needs. */
export interface PollRunStartInput {
  /** A tracked poll of the org, neither archived nor missing in RapidPro. */
  pollId: number;
  /** An active region of the org (the caller checks that the user may use it). */
  regionId: number;
  /** Include the region's sub-regions: a propagated poll run; otherwise a regional one. */
  propagate: boolean;
  /** Who starts it. */
  userId: number;
}

/** What a start or restart did. */
export type StartOutcome =
  | { ok: true; pollRunId: number; startId: number; recipients: number }
  | { ok: false; reason: 'unknown-poll' | 'no-recipients' | 'busy' };

/** A start's status while the job still has batches to send. */
export const UNFINISHED_START_STATUSES = ['queued', 'sending'];

// A contact created here keeps a temporary uuid until RapidPro confirms it: RapidPro would refuse
// the whole batch for it, so it waits for the next start.
const KNOWN_TO_RAPIDPRO: Prisma.ContactWhereInput = { OR: [{ syncState: 'synced' }, { rapidproModifiedOn: { not: null } }] };

/**
 * Starts a tracked poll for a region (spec §9.4, §17.8 `POST /pollruns`): one transaction creates
 * the poll run (regional, or propagated with the sub-regions), its start and the start's batches
 * of at most 100 recipients (active contacts of the region or its subtree); then the start job is
 * queued, which sends the batches and creates the empty responses.
 * @param orgId the org.
 * @param input poll, region, propagation and the user.
 * @returns the poll run, its start and the number of recipients; or why nothing was started.
 */
export async function startPollRun(orgId: number, input: PollRunStartInput): Promise<StartOutcome> {
  const scoped = orgDb(orgId);
  const poll = await scoped.poll.findFirst({ where: { id: input.pollId, isActive: true, isArchivedInRapidPro: false, isMissingInRapidPro: false } });
  if (!poll) return { ok: false, reason: 'unknown-poll' };
  const regions = await scoped.region.findMany({ where: { isActive: true }, select: { id: true, parentId: true } });
  const regionIds = [input.regionId, ...(input.propagate ? regionLinks(regions).descendants(input.regionId) : [])];
  const contacts = await scoped.contact.findMany({
    where: { isActive: true, regionId: { in: regionIds }, ...KNOWN_TO_RAPIDPRO },
    select: { uuid: true },
    orderBy: { id: 'asc' },
  });
  if (!contacts.length) return { ok: false, reason: 'no-recipients' };

  const created = await scoped.$transaction(async (tx) => {
    const pollRun = await tx.pollRun.create({
      data: { orgId, pollId: poll.id, type: input.propagate ? 'propagated' : 'regional', regionId: input.regionId, conductedOn: new Date(), createdById: input.userId },
    });
    const startId = await createStart(tx, orgId, pollRun.id, 'start', input.userId, contacts.map((c) => c.uuid));
    return { pollRunId: pollRun.id, startId };
  });
  await startPollRunTask.enqueue(orgId, created.startId);
  return { ok: true, ...created, recipients: contacts.length };
}

/** What restarting non-respondents needs. */
export interface RestartInput {
  /** The poll run; the caller checks it may be restarted for the user's region (§12.3). */
  pollRunId: number;
  /** Regions whose contacts are restarted: the user's data regions (§5.1). */
  regionIds: number[];
  /** Who restarts. */
  userId: number;
}

/**
 * Who a restart reaches (spec §9.5): contacts whose active response in the poll run is empty or
 * partial, active, known to RapidPro, in the given regions.
 * @param pollRunId the poll run.
 * @param regionIds the regions.
 * @returns a Prisma filter on responses.
 */
export function nonRespondentsWhere(pollRunId: number, regionIds: number[]): Prisma.ResponseWhereInput {
  return { pollRunId, isActive: true, status: { in: ['E', 'P'] }, contact: { isActive: true, regionId: { in: regionIds }, ...KNOWN_TO_RAPIDPRO } };
}

/**
 * Restarts the non-respondents of a poll run (spec §9.5): a start of kind "restart" with its
 * batches, queued like a first start; the job resets their responses to empty as it sends.
 * Refused while an earlier start of the poll run is still being sent, so a double click or two
 * supervisors at once do not start the same contacts twice.
 * @param orgId the org.
 * @param input the poll run, the regions and the user.
 * @returns the start and the number of contacts restarted; or why nothing was started.
 */
export async function restartNonRespondents(orgId: number, input: RestartInput): Promise<StartOutcome> {
  const scoped = orgDb(orgId);
  const outcome = await scoped.$transaction(async (tx): Promise<StartOutcome> => {
    // Locks the poll run row until commit: a concurrent restart waits here, then sees this one.
    await tx.pollRun.update({ where: { id: input.pollRunId }, data: { updatedAt: new Date() } });
    const unfinished = await tx.pollRunStart.count({ where: { pollRunId: input.pollRunId, status: { in: UNFINISHED_START_STATUSES } } });
    if (unfinished) return { ok: false, reason: 'busy' };
    const responses = await tx.response.findMany({
      where: nonRespondentsWhere(input.pollRunId, input.regionIds),
      select: { contact: { select: { uuid: true } } },
      orderBy: { contactId: 'asc' },
    });
    if (!responses.length) return { ok: false, reason: 'no-recipients' };
    const startId = await createStart(tx, orgId, input.pollRunId, 'restart', input.userId, responses.map((r) => r.contact.uuid));
    return { ok: true, pollRunId: input.pollRunId, startId, recipients: responses.length };
  });
  if (outcome.ok) await startPollRunTask.enqueue(orgId, outcome.startId);
  return outcome;
}

type Tx = Parameters<Parameters<ReturnType<typeof orgDb>['$transaction']>[0]>[0];

/** Writes a start and all its batches before anything is sent, so a retried job knows what is left. */
async function createStart(tx: Tx, orgId: number, pollRunId: number, kind: 'start' | 'restart', userId: number, uuids: string[]): Promise<number> {
  const start = await tx.pollRunStart.create({ data: { orgId, pollRunId, kind, requestedById: userId, recipientCount: uuids.length } });
  await tx.pollRunStartBatch.createMany({
    data: inBatches(uuids).map((contactUuids, i) => ({ orgId, startId: start.id, batchNo: i + 1, contactUuids })),
  });
  return start.id;
}
