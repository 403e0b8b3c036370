import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { restartNonRespondents, startPollRun } from '../../src/commands/pollRunStarter.js';
import { db } from '../../src/db/client.js';
import { applyRunPage } from '../../src/db/pollRunIngest.js';
import { recordSentBatch } from '../../src/db/pollRunStarts.js';
import { withPgTransaction } from '../../src/db/pool.js';
import type { Org, User } from '../../src/generated/prisma/client.js';
import { getQueue } from '../../src/jobs/queues.js';
import { startPollRunTask } from '../../src/jobs/tasks/StartPollRunTask.js';
import { mapRun } from '../../src/pollruns/runMapping.js';
import { loadTrackedPolls } from '../../src/pollruns/trackedPolls.js';
import { UnavailableError } from '../../src/rapidpro/client/index.js';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { buildOrg, buildUser } from '../support/factories.js';
import { startTestSimulator, testClient, TOKEN } from '../rapidpro/support.js';

let sim: RunningSimulator;
let remoteContacts: string[];
let flowUuid: string;
beforeAll(async () => {
  sim = await startTestSimulator({ contacts: 400, weeks: 1, activity: false });
  const client = testClient(sim);
  remoteContacts = (await client.contacts().all()).filter((c) => !c.deleted && c.status === 'active').map((c) => c.uuid);
  flowUuid = (await client.flows().all()).find((f) => f.name === 'Attendance')!.uuid;
  expect(remoteContacts.length).toBeGreaterThan(260);
});
afterAll(() => sim.close());
// Each test starts the same contacts: a fresh workspace keeps one test's flow starts from matching another's.
beforeEach(() => {
  sim.reset();
  sim.setFaults([]);
  sim.clearRequests();
});

interface Setup {
  org: Org;
  user: User;
  pollId: number;
  north: number;
  northOne: number;
  south: number;
  teachers: number;
  started: string[];
}

/**
 * An org on the simulator with a tracked poll and North (200 contacts) → North One (50), South (5),
 * plus contacts a start must skip: inactive, and created here but never confirmed by RapidPro.
 */
async function setup(): Promise<Setup> {
  const org = await buildOrg({ apiUrl: sim.url, apiToken: TOKEN });
  const user = await buildUser(org, { role: 'admin' });
  const poll = await db().poll.create({ data: { orgId: org.id, flowUuid, rapidproName: 'Attendance', isActive: true } });
  const region = (name: string, parentId: number | null = null) => db().region.create({ data: { orgId: org.id, uuid: randomUUID(), name, parentId } });
  const north = await region('North');
  const northOne = await region('North One', north.id);
  const south = await region('South');
  const teachers = await db().reporterGroup.create({ data: { orgId: org.id, uuid: randomUUID(), name: 'Teachers' } });
  const placed = remoteContacts.slice(0, 258).map((uuid, i) => ({ uuid, regionId: i < 200 ? north.id : i < 250 ? northOne.id : i < 255 ? south.id : north.id, isActive: i < 255 }));
  await db().contact.createMany({ data: placed.map((c, i) => ({ orgId: org.id, name: `C${i}`, ...c })) });
  await db().contact.create({ data: { orgId: org.id, uuid: randomUUID(), name: 'New here', regionId: north.id, syncState: 'pending' } });
  const first = await db().contact.findFirstOrThrow({ where: { orgId: org.id, uuid: remoteContacts[0]! } });
  await db().contactReporterGroup.create({ data: { orgId: org.id, contactId: first.id, reporterGroupId: teachers.id } });
  return { org, user, pollId: poll.id, north: north.id, northOne: northOne.id, south: south.id, teachers: teachers.id, started: remoteContacts.slice(0, 250) };
}

async function start(s: Setup) {
  const outcome = await startPollRun(s.org.id, { pollId: s.pollId, regionId: s.north, propagate: true, userId: s.user.id });
  if (!outcome.ok) throw new Error(outcome.reason);
  // The job is run here by hand; take it off the queue so no worker of another test runs it too.
  const job = await getQueue('sync').getJob(startPollRunTask.jobId(outcome.startId));
  await job?.remove();
  return { ...outcome, job };
}

/** A worker's context on a first attempt out of five, so a retryable failure is thrown for a retry. */
const firstAttempt = { job: { attemptsMade: 0, opts: { attempts: 5 } } as unknown as Job, token: undefined };

/** Flow starts the simulator received through the API, and the contacts each covered. */
function apiStarts() {
  const state = sim.state();
  return state.starts.filter((row) => row.request !== null).map((row) => ({ uuid: row.uuid, contacts: row.request!.contacts.map((i) => state.contacts.uuid(i)) }));
}

function startsOf(uuids: Set<string>) {
  return apiStarts().filter((row) => uuids.has(row.uuid));
}

/** A fault that changes nothing, so the next flow-start fault hits the second POST. */
const letFirstPostThrough = { kind: 'slow', latencyMs: 0, path: 'flow_starts', method: 'POST', count: 1 } as const;

/** Active, counted responses of a poll run by status, as the counters (and their pending deltas) hold them. */
async function countedByStatus(pollRunId: number) {
  const where = { pollRunId, reporterGroupId: 0 };
  const rows = [...(await db().responseCounter.findMany({ where })), ...(await db().responseCounterDelta.findMany({ where }))];
  const totals: Record<string, number> = {};
  for (const row of rows) totals[row.status] = (totals[row.status] ?? 0) + row.responses;
  return Object.fromEntries(Object.entries(totals).filter(([, n]) => n !== 0));
}

const postsToFlowStarts = () => sim.requests().filter((r) => r.method === 'POST' && r.path.includes('flow_starts')).length;

describe('starting a poll for a region', () => {
  it('writes the poll run, its start and batches of 100 in one go, queues the job, and sends 250 contacts in exactly 3 flow starts', async () => {
    const s = await setup();
    const { pollRunId, startId, recipients, job } = await start(s);
    expect(recipients).toBe(250);
    expect(job?.data).toEqual({ orgId: s.org.id, startId });
    const pollRun = await db().pollRun.findUniqueOrThrow({ where: { id: pollRunId } });
    expect(pollRun).toMatchObject({ type: 'propagated', regionId: s.north, createdById: s.user.id, localDay: null, flowStartUuids: [] });
    const batches = await db().pollRunStartBatch.findMany({ where: { startId }, orderBy: { batchNo: 'asc' } });
    expect(batches.map((b) => [b.batchNo, b.contactUuids.length, b.rapidproStartUuid])).toEqual([[1, 100, null], [2, 100, null], [3, 50, null]]);
    expect(new Set(batches.flatMap((b) => b.contactUuids))).toEqual(new Set(s.started));

    expect(await startPollRunTask.run({ orgId: s.org.id, startId })).toBe('done');
    expect(postsToFlowStarts()).toBe(3);
    const sent = await db().pollRunStartBatch.findMany({ where: { startId }, orderBy: { batchNo: 'asc' } });
    const uuids = new Set(sent.map((b) => b.rapidproStartUuid!));
    expect(uuids.size).toBe(3);
    expect(sent.every((b) => b.sentAt !== null)).toBe(true);
    const remote = startsOf(uuids);
    expect(remote.flatMap((r) => r.contacts).sort()).toEqual([...s.started].sort());
    expect(new Set((await db().pollRun.findUniqueOrThrow({ where: { id: pollRunId } })).flowStartUuids)).toEqual(uuids);
    expect(await db().pollRunStart.findUniqueOrThrow({ where: { id: startId } })).toMatchObject({ status: 'done', sentCount: 250, recipientCount: 250, error: null });

    // Every recipient has an active empty response carrying its contact's counting state.
    const responses = await db().response.findMany({ where: { orgId: s.org.id, pollRunId }, include: { contact: true } });
    expect(responses).toHaveLength(250);
    expect(responses.every((r) => r.status === 'E' && r.runUuid === null && r.isActive && r.contactCounted && r.regionId === r.contact.regionId)).toBe(true);
    expect(responses.find((r) => r.contact.uuid === s.started[0])!.groupIds).toEqual([s.teachers]);

    // Done is done: running the job again sends nothing.
    expect(await startPollRunTask.run({ orgId: s.org.id, startId })).toBe('skipped');
    expect(postsToFlowStarts()).toBe(3);
  });

  it('a regional start reaches only the region itself; a region without contacts or an untracked poll starts nothing', async () => {
    const s = await setup();
    const regional = await startPollRun(s.org.id, { pollId: s.pollId, regionId: s.south, propagate: false, userId: s.user.id });
    expect(regional).toMatchObject({ ok: true, recipients: 5 });
    if (regional.ok) await (await getQueue('sync').getJob(startPollRunTask.jobId(regional.startId)))?.remove();
    const empty = await db().region.create({ data: { orgId: s.org.id, uuid: randomUUID(), name: 'Empty' } });
    expect(await startPollRun(s.org.id, { pollId: s.pollId, regionId: empty.id, propagate: true, userId: s.user.id })).toEqual({ ok: false, reason: 'no-recipients' });
    await db().poll.update({ where: { id: s.pollId }, data: { isActive: false } });
    expect(await startPollRun(s.org.id, { pollId: s.pollId, regionId: s.north, propagate: true, userId: s.user.id })).toEqual({ ok: false, reason: 'unknown-poll' });
    expect(await db().pollRun.count({ where: { orgId: s.org.id } })).toBe(1);
  });

  it('a 500 after RapidPro applied the second batch does not start it twice', async () => {
    const s = await setup();
    const { startId } = await start(s);
    const before = apiStarts().length;
    sim.addFault(letFirstPostThrough);
    sim.addFault({ kind: 'applied500', path: 'flow_starts', method: 'POST', count: 1 });
    expect(await startPollRunTask.run({ orgId: s.org.id, startId })).toBe('done');
    expect(postsToFlowStarts()).toBe(3);
    expect(apiStarts().length - before).toBe(3);
    const uuids = new Set((await db().pollRunStartBatch.findMany({ where: { startId } })).map((b) => b.rapidproStartUuid!));
    expect(uuids.size).toBe(3);
    expect(startsOf(uuids).flatMap((r) => r.contacts).sort()).toEqual([...s.started].sort());
  });

  it('a plain 500 on the second batch fails the attempt; the retry sends only what is left', async () => {
    const s = await setup();
    const { startId, pollRunId } = await start(s);
    const before = apiStarts().length;
    // Batch 1 goes; batch 2 gets a 500, its look-up finds nothing, and the resend gets a 500 again.
    sim.addFault(letFirstPostThrough);
    sim.addFault({ kind: '500', path: 'flow_starts', method: 'POST', count: 2 });
    await expect(startPollRunTask.run({ orgId: s.org.id, startId }, firstAttempt)).rejects.toBeInstanceOf(UnavailableError);
    expect(postsToFlowStarts()).toBe(3);
    const midway = await db().pollRunStart.findUniqueOrThrow({ where: { id: startId } });
    expect(midway).toMatchObject({ status: 'sending', sentCount: 100 });
    expect(midway.error).toContain('did not answer properly');
    expect(await db().response.count({ where: { pollRunId } })).toBe(100);

    expect(await startPollRunTask.run({ orgId: s.org.id, startId })).toBe('done');
    expect(apiStarts().length - before).toBe(3);
    const uuids = new Set((await db().pollRunStartBatch.findMany({ where: { startId } })).map((b) => b.rapidproStartUuid!));
    expect(startsOf(uuids).flatMap((r) => r.contacts).sort()).toEqual([...s.started].sort());
    expect(await db().pollRunStart.findUniqueOrThrow({ where: { id: startId } })).toMatchObject({ status: 'done', sentCount: 250, error: null });
    expect(await db().response.count({ where: { pollRunId, isActive: true } })).toBe(250);
  });

  it('a batch RapidPro applied, whose answer and look-up were both lost, is found again on the retry and not sent twice', async () => {
    const s = await setup();
    const { startId } = await start(s);
    const before = apiStarts().length;
    sim.addFault(letFirstPostThrough);
    sim.addFault({ kind: 'applied500', path: 'flow_starts', method: 'POST', count: 1 });
    sim.addFault({ kind: '500', path: 'flow_starts', method: 'GET', count: 20 });
    await expect(startPollRunTask.run({ orgId: s.org.id, startId }, firstAttempt)).rejects.toBeInstanceOf(UnavailableError);
    expect(apiStarts().length - before).toBe(2);
    expect(await db().pollRunStartBatch.count({ where: { startId, rapidproStartUuid: { not: null } } })).toBe(1);

    sim.setFaults([]);
    sim.clearRequests();
    expect(await startPollRunTask.run({ orgId: s.org.id, startId })).toBe('done');
    expect(postsToFlowStarts()).toBe(1);
    expect(apiStarts().length - before).toBe(3);
    const uuids = new Set((await db().pollRunStartBatch.findMany({ where: { startId } })).map((b) => b.rapidproStartUuid!));
    expect(uuids.size).toBe(3);
    expect(startsOf(uuids).flatMap((r) => r.contacts).sort()).toEqual([...s.started].sort());
  });

  it('a refusal from RapidPro fails the start with its reason', async () => {
    const s = await setup();
    const { startId } = await start(s);
    await db().poll.update({ where: { id: s.pollId }, data: { flowUuid: randomUUID() } });
    expect(await startPollRunTask.run({ orgId: s.org.id, startId }, firstAttempt)).toBe('failed');
    const failed = await db().pollRunStart.findUniqueOrThrow({ where: { id: startId } });
    expect(failed.status).toBe('failed');
    expect(failed.error).toBeTruthy();
    expect(failed.finishedAt).not.toBeNull();
  });
});

describe('runs of a started poll run', () => {
  it('are attributed to the poll run and take the place of the empty responses: one response per contact', async () => {
    const s = await setup();
    const { startId, pollRunId } = await start(s);
    await startPollRunTask.run({ orgId: s.org.id, startId });
    sim.clock.advance(10);
    const runs = (await testClient(sim).runs({ flow: flowUuid, after: '2024-07-01T08:59:00Z' }).all()).filter((r) => r.contact && s.started.includes(r.contact.uuid));
    expect(runs).toHaveLength(250);
    const poll = (await loadTrackedPolls(s.org.id)).get(flowUuid)!;
    await withPgTransaction((client) => applyRunPage(client, s.org.id, runs.map((r) => mapRun(r, poll, s.org.timezone))));

    const responses = await db().response.findMany({ where: { orgId: s.org.id } });
    expect(responses.every((r) => r.pollRunId === pollRunId)).toBe(true);
    const active = responses.filter((r) => r.isActive);
    expect(active).toHaveLength(250);
    expect(new Set(active.map((r) => r.contactId)).size).toBe(250);
    expect(active.every((r) => r.runUuid !== null)).toBe(true);
    // Each run took the place of its contact's empty response: no second response is left behind.
    expect(responses).toHaveLength(250);
    const byStatus: Record<string, number> = {};
    for (const r of active) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    expect(await countedByStatus(pollRunId)).toEqual(byStatus);
  });
});

describe('restarting non-respondents', () => {
  it('restarts the contacts whose active response is empty or partial in the given regions, and resets them to empty', async () => {
    const s = await setup();
    const { startId, pollRunId } = await start(s);
    await startPollRunTask.run({ orgId: s.org.id, startId });
    const northOneContacts = await db().contact.findMany({ where: { orgId: s.org.id, regionId: s.northOne }, select: { id: true, uuid: true }, orderBy: { id: 'asc' } });
    const complete = northOneContacts.slice(0, 10).map((c) => c.id);
    const partial = northOneContacts.slice(10, 15).map((c) => c.id);
    await db().response.updateMany({ where: { pollRunId, contactId: { in: complete } }, data: { status: 'C' } });
    await db().response.updateMany({ where: { pollRunId, contactId: { in: partial } }, data: { status: 'P' } });
    sim.clock.advance(60);

    const outcome = await restartNonRespondents(s.org.id, { pollRunId, regionIds: [s.northOne], userId: s.user.id });
    expect(outcome).toMatchObject({ ok: true, recipients: 40 });
    if (!outcome.ok) return;
    await (await getQueue('sync').getJob(startPollRunTask.jobId(outcome.startId)))?.remove();
    // A second restart while the first is unsent is refused.
    expect(await restartNonRespondents(s.org.id, { pollRunId, regionIds: [s.northOne], userId: s.user.id })).toEqual({ ok: false, reason: 'busy' });

    sim.clearRequests();
    expect(await startPollRunTask.run({ orgId: s.org.id, startId: outcome.startId })).toBe('done');
    expect(postsToFlowStarts()).toBe(1);
    const restart = await db().pollRunStart.findUniqueOrThrow({ where: { id: outcome.startId }, include: { batches: true } });
    expect(restart).toMatchObject({ kind: 'restart', status: 'done', recipientCount: 40, sentCount: 40 });
    expect(new Set(restart.batches[0]!.contactUuids)).toEqual(new Set(northOneContacts.slice(10).map((c) => c.uuid)));

    const active = await db().response.findMany({ where: { pollRunId, isActive: true } });
    expect(active).toHaveLength(250);
    expect(active.filter((r) => r.status === 'C').map((r) => r.contactId).sort()).toEqual([...complete].sort());
    const restarted = new Set(northOneContacts.slice(10).map((c) => c.id));
    expect(active.filter((r) => restarted.has(r.contactId)).every((r) => r.status === 'E' && r.createdOn > new Date('2024-07-01T09:00:30Z'))).toBe(true);
    expect(await db().response.count({ where: { pollRunId, isActive: false } })).toBe(40);
    expect((await db().pollRun.findUniqueOrThrow({ where: { id: pollRunId } })).flowStartUuids).toHaveLength(4);
    // The counters (kept by triggers from the rows written here) agree.
    expect(await countedByStatus(pollRunId)).toEqual({ E: 240, C: 10 });

    // Nobody left in North One who has not answered... except the restarted ones, now empty again.
    expect(await restartNonRespondents(s.org.id, { pollRunId, regionIds: [s.south], userId: s.user.id })).toEqual({ ok: false, reason: 'no-recipients' });
  });
});

describe('recording a sent batch', () => {
  it('only touches the org it is given', async () => {
    const s = await setup();
    const other = await buildOrg();
    const { startId } = await start(s);
    const batch = await db().pollRunStartBatch.findFirstOrThrow({ where: { startId } });
    expect(await recordSentBatch(other.id, { batchId: batch.id, startUuid: randomUUID(), startedOn: new Date() })).toEqual({ recorded: false, responses: 0 });
    expect(await db().pollRunStartBatch.findUniqueOrThrow({ where: { id: batch.id } })).toMatchObject({ rapidproStartUuid: null, sentAt: null });
    expect(await db().response.count({ where: { orgId: { in: [s.org.id, other.id] } } })).toBe(0);
    const uuid = randomUUID();
    expect(await recordSentBatch(s.org.id, { batchId: batch.id, startUuid: uuid, startedOn: new Date() })).toEqual({ recorded: true, responses: 100 });
    expect(await recordSentBatch(s.org.id, { batchId: batch.id, startUuid: randomUUID(), startedOn: new Date() })).toEqual({ recorded: false, responses: 0 });
    expect((await db().pollRunStartBatch.findUniqueOrThrow({ where: { id: batch.id } })).rapidproStartUuid).toBe(uuid);
  });
});
