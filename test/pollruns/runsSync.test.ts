import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import type { Org } from '../../src/generated/prisma/client.js';
import { selectPolls } from '../../src/polls/pollSelector.js';
import { answerCategory } from '../../src/polls/rules.js';
import type { Run } from '../../src/rapidpro/client/index.js';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import type { SyncResource } from '../../src/sync/resources.js';
import { startTestSimulator, testClient } from '../rapidpro/support.js';
import { connectedOrg, syncNow } from '../sync/support.js';

let sim: RunningSimulator;
let org: Org;
let remote: Run[];
beforeAll(async () => {
  sim = await startTestSimulator({ contacts: 60, weeks: 6, activity: false });
  ({ org } = await connectedOrg(sim));
  await sync('contacts');
  await sync('flows');
  const polls = await db().poll.findMany({ where: { orgId: org.id, rapidproName: { in: ['Attendance', 'Weekly School Poll', 'Color Check'] } } });
  expect(await selectPolls(org.id, polls.map((p) => p.id))).toEqual({ ok: true, tracked: 3 });
  await sync('flows');
  remote = [];
  for await (const run of testClient(sim).runs()) remote.push(run);
});
afterAll(async () => {
  await sim.close();
});

const sync = (resource: SyncResource) => syncNow(org.id, resource);

/** What TracPro should hold, worked out plainly from the API and the local contacts and questions. */
async function expected() {
  const polls = await db().poll.findMany({ where: { orgId: org.id, isActive: true }, include: { questions: true } });
  const active = new Set((await db().contact.findMany({ where: { orgId: org.id, isActive: true }, select: { uuid: true } })).map((c) => c.uuid));
  const runs = remote.filter((r) => polls.some((p) => p.flowUuid === r.flow.uuid));
  const kept = runs.filter((r) => active.has(r.contact.uuid));
  const answers = kept.flatMap((r) => {
    const poll = polls.find((p) => p.flowUuid === r.flow.uuid)!;
    return Object.entries(r.values).flatMap(([key, v]) => {
      const question = poll.questions.find((q) => q.key === key && q.isActive);
      return question ? [`${r.uuid}|${question.id}|${v.value}|${answerCategory(v.category)}`] : [];
    });
  });
  return { runs, kept, answers };
}

async function local() {
  const responses = await db().response.findMany({ where: { orgId: org.id }, include: { answers: true } });
  return {
    responses,
    answers: responses.flatMap((r) => r.answers.map((a) => `${r.runUuid}|${a.questionId}|${a.value}|${a.category}`)),
  };
}

describe('runs sync', () => {
  it('ingests every run of tracked polls whose contact is active, with an answer per active question, and nothing twice', async () => {
    const weekly = await db().question.findFirstOrThrow({ where: { orgId: org.id, poll: { rapidproName: 'Weekly School Poll' } }, orderBy: { flowOrder: 'desc' } });
    await db().question.update({ where: { id: weekly.id }, data: { isActive: false } });

    // A contact gone inactive here (e.g. it left the tracked regions): its runs are skipped, not failed.
    const tracked = new Set((await db().poll.findMany({ where: { orgId: org.id, isActive: true } })).map((p) => p.flowUuid));
    const leaver = remote.find((r) => tracked.has(r.flow.uuid))!.contact.uuid;
    await db().contact.update({ where: { orgId_uuid: { orgId: org.id, uuid: leaver } }, data: { isActive: false } });

    const want = await expected();
    expect(want.kept.length).toBeGreaterThan(0);
    expect(want.runs.length).toBeGreaterThan(want.kept.length);
    expect(remote.length).toBeGreaterThan(want.runs.length);

    sim.clearRequests();
    const counts = await sync('runs');
    const runQueries = sim.requests().filter((r) => r.path.includes('runs')).map((r) => new URLSearchParams(r.query));
    expect(runQueries.length).toBeGreaterThan(0);
    expect(runQueries.every((q) => q.get('reverse') === 'true' && q.get('paths') === 'false' && !q.has('flow') && !q.has('responded'))).toBe(true);
    expect(counts).toMatchObject({ created: want.kept.length, updated: 0, skipped: want.runs.length - want.kept.length });

    const got = await local();
    expect(got.responses.map((r) => r.runUuid).sort()).toEqual(want.kept.map((r) => r.uuid).sort());
    expect(got.answers.sort()).toEqual(want.answers.sort());
    expect(got.answers.some((a) => a.split('|')[1] === String(weekly.id))).toBe(false);
    // Untracked flows (Water Point, Teachers Present 1) leave nothing behind.
    const untracked = new Set(remote.filter((r) => !want.runs.includes(r)).map((r) => r.uuid));
    expect(got.responses.some((r) => untracked.has(r.runUuid!))).toBe(false);
    // One active response per (poll run, contact): the latest created.
    const groups = new Map<string, typeof got.responses>();
    for (const r of got.responses) groups.set(`${r.pollRunId}:${r.contactId}`, [...(groups.get(`${r.pollRunId}:${r.contactId}`) ?? []), r]);
    for (const rows of groups.values()) {
      const latest = [...rows].sort((a, b) => b.createdOn.getTime() - a.createdOn.getTime() || b.id - a.id)[0]!;
      expect(rows.filter((r) => r.isActive).map((r) => r.id)).toEqual([latest.id]);
    }
  });

  it('re-reads with an overlap, and from scratch, without changing or doubling anything (§24.7)', async () => {
    const before = await local();
    expect(await sync('runs')).toMatchObject({ created: 0, updated: 0 });
    await db().syncState.update({ where: { orgId_resource: { orgId: org.id, resource: 'runs' } }, data: { watermark: null } });
    expect(await sync('runs')).toMatchObject({ created: 0, updated: 0 });
    const after = await local();
    expect(after.responses.length).toBe(before.responses.length);
    expect(after.answers.sort()).toEqual(before.answers.sort());
    expect(after.responses.map((r) => r.updatedAt.getTime()).sort()).toEqual(before.responses.map((r) => r.updatedAt.getTime()).sort());
    const state = await db().syncState.findUniqueOrThrow({ where: { orgId_resource: { orgId: org.id, resource: 'runs' } } });
    expect(state.watermark?.getTime()).toBe(Math.max(...remote.map((r) => r.modifiedOn.ms)));
    expect(state.cursor).toBeNull();
  });
});

describe('runs backfill', () => {
  it('walks the history of a newly tracked poll once, per flow, joining what the stream already holds', async () => {
    ({ org } = await connectedOrg(sim));
    await sync('contacts');
    await sync('flows');
    const polls = await db().poll.findMany({ where: { orgId: org.id, rapidproName: { in: ['Attendance', 'Color Check'] } } });
    const attendance = polls.find((p) => p.rapidproName === 'Attendance')!;
    const color = polls.find((p) => p.rapidproName === 'Color Check')!;
    await selectPolls(org.id, [attendance.id]);
    await sync('flows');
    await sync('runs');

    // Tracked after the stream passed its runs: only the backfill brings them.
    await selectPolls(org.id, [attendance.id, color.id]);
    await sync('flows');
    sim.clearRequests();
    const counts = await sync('runs-backfill');
    const walked = sim.requests().filter((r) => r.path.includes('runs')).map((r) => new URLSearchParams(r.query));
    expect(new Set(walked.map((q) => q.get('flow')))).toEqual(new Set([attendance.flowUuid, color.flowUuid]));
    expect(walked.every((q) => q.get('reverse') === 'true' && q.get('paths') === 'false' && !q.has('responded'))).toBe(true);

    const want = await expected();
    const colorRuns = want.kept.filter((r) => r.flow.uuid === color.flowUuid);
    expect(colorRuns.length).toBeGreaterThan(0);
    expect(counts.updated).toBe(0);
    const got = await local();
    expect(got.responses.map((r) => r.runUuid).sort()).toEqual(want.kept.map((r) => r.uuid).sort());
    expect(got.answers.sort()).toEqual(want.answers.sort());

    // Done once: the next run reads nothing; untracking drops the walk so tracking again walks again.
    sim.clearRequests();
    await sync('runs-backfill');
    expect(sim.requests().filter((r) => r.path.includes('runs'))).toHaveLength(0);
    await selectPolls(org.id, [attendance.id]);
    await sync('runs-backfill');
    expect((await db().runBackfill.findMany({ where: { orgId: org.id } })).map((b) => [b.pollId, b.completedAt !== null])).toEqual([[attendance.id, true]]);
    expect(await db().response.count({ where: { orgId: org.id, pollId: color.id } })).toBe(colorRuns.length);
    await selectPolls(org.id, [attendance.id, color.id]);
    sim.clearRequests();
    expect(await sync('runs-backfill')).toMatchObject({ created: 0, updated: 0 });
    expect(new Set(sim.requests().filter((r) => r.path.includes('runs')).map((r) => new URLSearchParams(r.query).get('flow')))).toEqual(new Set([color.flowUuid]));
  });
});

describe('runs of contacts that joined after the last contacts sync', () => {
  it('are ingested: the missing contacts are fetched first instead of skipped', async () => {
    const { org: fresh } = await connectedOrg(sim);
    const run = (resource: SyncResource) => syncNow(fresh.id, resource);
    await run('flows');
    const polls = await db().poll.findMany({ where: { orgId: fresh.id, rapidproName: { in: ['Attendance', 'Weekly School Poll', 'Color Check'] } } });
    await selectPolls(fresh.id, polls.map((p) => p.id));
    await run('flows');
    expect(await db().contact.count({ where: { orgId: fresh.id } })).toBe(0);
    await run('runs');
    const flows = new Set(polls.map((p) => p.flowUuid));
    const tracked = remote.filter((r) => flows.has(r.flow.uuid));
    const withContacts = await db().contact.findMany({ where: { orgId: fresh.id, uuid: { in: tracked.map((r) => r.contact.uuid) } }, select: { uuid: true, isActive: true } });
    expect(withContacts.length).toBe(new Set(tracked.map((r) => r.contact.uuid)).size);
    const activeUuids = new Set(withContacts.filter((c) => c.isActive).map((c) => c.uuid));
    const responses = await db().response.count({ where: { orgId: fresh.id } });
    expect(responses).toBe(tracked.filter((r) => activeUuids.has(r.contact.uuid)).length);
  });
});
