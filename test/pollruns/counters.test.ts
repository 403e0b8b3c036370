import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { numericTotals, responseStatusCounts } from '../../src/db/counterReads.js';
import { checkCounters, rebuildCounters, squashCounterDeltas } from '../../src/db/counters.js';
import { withPgTransaction } from '../../src/db/pool.js';
import { applyRunPage } from '../../src/db/pollRunIngest.js';
import type { Org } from '../../src/generated/prisma/client.js';
import { selectPolls } from '../../src/polls/pollSelector.js';
import { parseDecimal } from '../../src/polls/rules.js';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import type { SyncResource } from '../../src/sync/resources.js';
import { startTestSimulator } from '../rapidpro/support.js';
import { checkCountersTask, COUNTERS_CHECK } from '../../src/jobs/tasks/CheckCountersTask.js';
import { squashCountersTask } from '../../src/jobs/tasks/SquashCountersTask.js';
import { tracpro } from '../support/cli.js';
import { connectedOrg, syncNow } from '../sync/support.js';

let sim: RunningSimulator;
let org: Org;
beforeAll(async () => {
  sim = await startTestSimulator({ contacts: 80, weeks: 6, activity: false });
  ({ org } = await connectedOrg(sim));
  await sync('contacts');
  await sync('flows');
  const polls = await db().poll.findMany({ where: { orgId: org.id, rapidproName: { in: ['Attendance', 'Weekly School Poll', 'Color Check'] } } });
  await selectPolls(org.id, polls.map((p) => p.id));
  await sync('flows');
  await sync('runs');
});
afterAll(async () => {
  await sim.close();
});

const sync = (resource: SyncResource) => syncNow(org.id, resource);

const num = (value: string) => (parseDecimal(value) ? Number(value) : null);
const round = (n: number) => Number(n.toFixed(6));

/**
 * The counters worked out plainly from the rows, without the database's counting SQL: every answer
 * of an active response whose contact is active with a region counts once for "everyone" (group 0)
 * and once per reporter group of the contact.
 */
async function recount() {
  const answers = await db().answer.findMany({
    where: { orgId: org.id },
    include: { response: { include: { contact: { include: { reporterGroups: true } } } } },
  });
  const counts = new Map<string, { answers: number; lastCount: number; lastSum: number; sumCount: number; sumSum: number }>();
  for (const a of answers) {
    const contact = a.response.contact;
    if (!a.response.isActive || !contact.isActive || contact.regionId === null) continue;
    for (const group of [0, ...contact.reporterGroups.map((g) => g.reporterGroupId)]) {
      const key = [a.pollRunId, a.questionId, contact.regionId, group, a.localDay.toISOString().slice(0, 10), a.category ?? ''].join('|');
      const row = counts.get(key) ?? { answers: 0, lastCount: 0, lastSum: 0, sumCount: 0, sumSum: 0 };
      const last = num(a.lastValue);
      const sum = num(a.sumValue);
      counts.set(key, {
        answers: row.answers + 1,
        lastCount: row.lastCount + (last === null ? 0 : 1), lastSum: round(row.lastSum + (last ?? 0)),
        sumCount: row.sumCount + (sum === null ? 0 : 1), sumSum: round(row.sumSum + (sum ?? 0)),
      });
    }
  }
  return counts;
}

/** The stored counters after folding every delta. */
async function stored() {
  await squashCounterDeltas();
  expect(await db().answerCounterDelta.count({ where: { orgId: org.id } })).toBe(0);
  const rows = await db().answerCounter.findMany({ where: { orgId: org.id } });
  return new Map(rows.map((r) => [
    [r.pollRunId, r.questionId, r.regionId, r.reporterGroupId, r.localDay.toISOString().slice(0, 10), r.category].join('|'),
    { answers: r.answers, lastCount: r.lastCount, lastSum: round(Number(r.lastSum)), sumCount: r.sumCount, sumSum: round(Number(r.sumSum)) },
  ]));
}

async function expectExact() {
  expect((await checkCounters(org.id)).mismatched).toBe(0);
  expect(await stored()).toEqual(await recount());
  const responses = await db().response.findMany({ where: { orgId: org.id, isActive: true, contact: { isActive: true, regionId: { not: null } } } });
  const counted = await db().responseCounter.aggregate({ where: { orgId: org.id, reporterGroupId: 0 }, _sum: { responses: true } });
  expect(counted._sum.responses ?? 0).toBe(responses.length);
}

describe('precomputed counters', () => {
  it('match a plain recount after an ingest, and checking twice with deltas folded in between agrees', async () => {
    expect(await db().answer.count({ where: { orgId: org.id } })).toBeGreaterThan(50);
    expect(await db().answerCounterDelta.count({ where: { orgId: org.id } })).toBeGreaterThan(0);
    expect((await checkCounters(org.id)).mismatched).toBe(0);
    await expectExact();
    const groups = await db().answerCounter.findMany({ where: { orgId: org.id, reporterGroupId: { not: 0 } } });
    expect(groups.length).toBeGreaterThan(0);
  });

  it('do not move on a re-ingest from scratch', async () => {
    const before = await stored();
    await db().syncState.update({ where: { orgId_resource: { orgId: org.id, resource: 'runs' } }, data: { watermark: null } });
    expect(await sync('runs')).toMatchObject({ created: 0, updated: 0 });
    expect(await stored()).toEqual(before);
    await expectExact();
  });

  it('follow a newer copy of a run and a later run that supersedes it', async () => {
    const response = await db().response.findFirstOrThrow({
      where: { orgId: org.id, isActive: true, status: 'C', contact: { isActive: true } },
      include: { answers: true, contact: true, pollRun: true },
    });
    const answer = response.answers[0]!;
    const day = answer.localDay.toISOString().slice(0, 10);
    const later = new Date(answer.submittedOn.getTime() + 60_000);
    const base = {
      pollId: response.pollId, contactUuid: response.contact.uuid, startUuid: null, createdOn: response.createdOn, updatedOn: later,
      localDay: response.pollRun.localDay!.toISOString().slice(0, 10), status: 'C' as const, exitType: 'completed', exitedOn: later,
    };
    await withPgTransaction((client) => applyRunPage(client, org.id, [{
      ...base, runUuid: response.runUuid!, modifiedOn: new Date(Date.now()).toISOString(),
      answers: [{ questionId: answer.questionId, value: '41', category: 'Other', submittedOn: later, localDay: day }],
    }]));
    await expectExact();
    await withPgTransaction((client) => applyRunPage(client, org.id, [{
      ...base, runUuid: '00000000-0000-4000-8000-00000000c0de', createdOn: later, modifiedOn: new Date(Date.now() + 1000).toISOString(),
      answers: [{ questionId: answer.questionId, value: '7', category: 'Other', submittedOn: later, localDay: day }],
    }]));
    expect((await db().response.findUniqueOrThrow({ where: { id: response.id } })).isActive).toBe(false);
    await expectExact();
  });

  it('move when a contact changes region or reporter groups, and drop its answers when it becomes inactive', async () => {
    const answered = await db().response.findFirstOrThrow({ where: { orgId: org.id, isActive: true, contact: { isActive: true } }, include: { contact: true } });
    const other = await db().region.findFirstOrThrow({ where: { orgId: org.id, isActive: true, id: { not: answered.contact.regionId! } } });
    await db().contact.update({ where: { id: answered.contactId }, data: { regionId: other.id } });
    await expectExact();
    const moved = await db().answerCounter.aggregate({ where: { orgId: org.id, regionId: other.id, reporterGroupId: 0 }, _sum: { answers: true } });
    expect(moved._sum.answers).toBeGreaterThan(0);

    const group = await db().reporterGroup.findFirstOrThrow({ where: { orgId: org.id } });
    await db().contactReporterGroup.deleteMany({ where: { orgId: org.id, contactId: answered.contactId } });
    await expectExact();
    await db().contactReporterGroup.create({ data: { orgId: org.id, contactId: answered.contactId, reporterGroupId: group.id } });
    await expectExact();

    await db().contact.updateMany({ where: { orgId: org.id, regionId: other.id }, data: { isActive: false } });
    await expectExact();
    const gone = await db().answerCounter.aggregate({ where: { orgId: org.id, regionId: other.id }, _sum: { answers: true } });
    expect(gone._sum.answers ?? 0).toBe(0);
  });

  it('hold both same-day modes, so a mode switch is a settings write that leaves them exact', async () => {
    await db().org.update({ where: { id: org.id }, data: { settings: { sameDayMode: 'sum' } } });
    await expectExact();
    // The reads charts use agree with a plain recount of the counted answers, in both modes.
    const question = await db().question.findFirstOrThrow({ where: { orgId: org.id, type: 'numeric', answers: { some: {} } } });
    const pollRunIds = (await db().pollRun.findMany({ where: { orgId: org.id } })).map((p) => p.id);
    const counted = await db().answer.findMany({
      where: { orgId: org.id, questionId: question.id, response: { isActive: true, contact: { isActive: true, regionId: { not: null } } } },
    });
    for (const mode of ['use_last', 'sum'] as const) {
      const want = new Map<number, { answers: number; count: number; sum: number }>();
      for (const a of counted) {
        const value = num(mode === 'sum' ? a.sumValue : a.lastValue);
        const row = want.get(a.pollRunId) ?? { answers: 0, count: 0, sum: 0 };
        want.set(a.pollRunId, { answers: row.answers + 1, count: row.count + (value === null ? 0 : 1), sum: round(row.sum + (value ?? 0)) });
      }
      const got = await numericTotals(org.id, question.id, pollRunIds, mode);
      expect(new Map(got.map((t) => [t.pollRunId, { answers: t.answers, count: t.count, sum: round(Number(t.sum)) }]))).toEqual(want);
    }
    const statuses = await responseStatusCounts(org.id, pollRunIds);
    const responses = await db().response.groupBy({
      by: ['pollRunId', 'status'], where: { orgId: org.id, isActive: true, contact: { isActive: true, regionId: { not: null } } }, _count: { _all: true },
    });
    for (const r of responses) expect(statuses.get(r.pollRunId)![r.status]).toBe(r._count._all);
    const totals = await db().answerCounter.aggregate({ where: { orgId: org.id, reporterGroupId: 0 }, _sum: { lastCount: true, sumCount: true } });
    expect(totals._sum.lastCount).toBeGreaterThan(0);
    expect(totals._sum.sumCount).toBeGreaterThan(0);
  });

  it('aggregates:rebuild --check exits 0 when exact, 1 with the difference after damage, and a rebuild repairs it', async () => {
    expect(await tracpro('aggregates:rebuild', '--org', org.subdomain, '--check')).toMatchObject({ code: 0 });
    const victim = await db().answerCounter.findFirstOrThrow({ where: { orgId: org.id } });
    const { orgId, pollRunId, questionId, regionId, reporterGroupId, localDay, category } = victim;
    const key = { orgId, pollRunId, questionId, regionId, reporterGroupId, localDay, category };
    await db().answerCounter.update({ where: { orgId_pollRunId_questionId_regionId_reporterGroupId_localDay_category: key }, data: { answers: victim.answers + 3 } });
    const damaged = await tracpro('aggregates:rebuild', '--org', org.subdomain, '--check');
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toContain('1 counters');
    const rebuilt = await tracpro('aggregates:rebuild', '--org', org.subdomain);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toMatch(/answer_counters \d+/);
    await expectExact();
    expect(await tracpro('aggregates:rebuild', '--org', 'nope', '--check')).toMatchObject({ code: 1 });
    expect(await rebuildCounters(org.id)).toMatchObject({ answer_counters: expect.any(Number) });
  });

  it('the nightly check records a difference for the sync status page and repairs it; the squash job folds deltas', async () => {
    await db().answerCounter.deleteMany({ where: { orgId: org.id, reporterGroupId: 0 } });
    expect(await checkCountersTask.perform({ orgId: org.id })).toEqual({ checked: 1, repaired: 1 });
    const state = await db().syncState.findUniqueOrThrow({ where: { orgId_resource: { orgId: org.id, resource: COUNTERS_CHECK } } });
    expect(state.lastCounts).toMatchObject({ mismatched: expect.any(Number) });
    expect(state.lastError).toMatch(/counters differed from their data and were rebuilt/);
    await expectExact();

    await db().contact.updateMany({ where: { orgId: org.id, isActive: false }, data: { isActive: true } });
    expect(await db().answerCounterDelta.count({ where: { orgId: org.id } })).toBeGreaterThan(0);
    expect(await squashCountersTask.perform()).toMatchObject({ folded: expect.any(Number) });
    expect(await db().answerCounterDelta.count({ where: { orgId: org.id } })).toBe(0);
    expect(await checkCountersTask.perform({ orgId: org.id })).toEqual({ checked: 1, repaired: 0 });
    const after = await db().syncState.findUniqueOrThrow({ where: { orgId_resource: { orgId: org.id, resource: COUNTERS_CHECK } } });
    expect(after.lastCounts).toEqual({ mismatched: 0 });
  });
});
