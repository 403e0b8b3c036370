import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { selectPolls } from '../../src/polls/pollSelector.js';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { runSync } from '../../src/sync/runSync.js';
import { SYNCERS } from '../../src/sync/syncers.js';
import { buildOrg } from '../support/factories.js';
import { startTestSimulator, TOKEN } from '../rapidpro/support.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startTestSimulator({ contacts: 50, weeks: 1, activity: false });
});
afterAll(async () => {
  await sim.close();
});

async function syncFlows(orgId: number) {
  const outcome = await runSync(orgId, SYNCERS.flows, { force: true });
  if (outcome.status !== 'done') throw new Error(`flows sync: ${JSON.stringify(outcome)}`);
  return outcome.counts;
}

async function trackedOrg(names: string[]) {
  const org = await buildOrg({ apiUrl: sim.url, apiToken: TOKEN });
  await syncFlows(org.id);
  const polls = await db().poll.findMany({ where: { orgId: org.id, rapidproName: { in: names } } });
  expect(polls).toHaveLength(names.length);
  const selection = await selectPolls(org.id, polls.map((p) => p.id));
  expect(selection).toEqual({ ok: true, tracked: names.length });
  return org;
}

function questionsOf(orgId: number, name: string) {
  return db().question.findMany({ where: { orgId, poll: { rapidproName: name } }, orderBy: { flowOrder: 'asc' } });
}

describe('flows sync', () => {
  it('offers every flow but Single Message ones as untracked polls, marks archived flows, and fetches no definitions', async () => {
    const org = await buildOrg({ apiUrl: sim.url, apiToken: TOKEN });
    sim.clearRequests();
    const counts = await syncFlows(org.id);
    const remote = sim.state().flows.filter((f) => !f.name.startsWith('Single Message'));
    const polls = await db().poll.findMany({ where: { orgId: org.id } });
    expect(polls.map((p) => p.flowUuid).sort()).toEqual(remote.map((f) => f.uuid).sort());
    expect(polls.every((p) => !p.isActive && !p.isMissingInRapidPro)).toBe(true);
    expect(polls.find((p) => p.rapidproName === 'Old Registration')?.isArchivedInRapidPro).toBe(true);
    expect(polls.find((p) => p.rapidproName === 'Attendance')?.isArchivedInRapidPro).toBe(false);
    expect(counts).toMatchObject({ created: remote.length, updated: 0, deactivated: 0 });
    expect(sim.requests().some((r) => r.path.includes('definitions'))).toBe(false);
    expect(await db().question.count({ where: { orgId: org.id } })).toBe(0);
  });

  it('fetches the questions of tracked polls in one batch, keyed by result key, with rules, categories and a guessed type', async () => {
    const org = await trackedOrg(['Attendance', 'Color Check', 'Feedback', 'Weekly School Poll']);
    sim.clearRequests();
    await syncFlows(org.id);
    expect(sim.requests().filter((r) => r.path.includes('definitions'))).toHaveLength(1);

    const [pupils] = await questionsOf(org.id, 'Attendance');
    const flow = sim.state().flows.find((f) => f.name === 'Attendance')!;
    expect(pupils).toMatchObject({ key: 'pupils', rapidproName: 'Pupils', type: 'numeric', flowOrder: 1, isActive: true, typeSetByAdmin: false, adminOrder: null });
    expect(pupils!.rulesetUuids).toEqual([flow.extracted[0]!.nodeUuid]);
    expect(pupils!.categories).toEqual(['0-50', '51-100', '100+', 'Other', 'No Response']);
    expect(pupils!.rules).toEqual([
      { category: '0-50', test: { type: 'between', min: '0', max: '50' } },
      { category: '51-100', test: { type: 'between', min: '51', max: '100' } },
      { category: '100+', test: { type: 'gt', test: '100' } },
    ]);

    const color = await questionsOf(org.id, 'Color Check');
    expect(color).toHaveLength(1);
    expect(color[0]).toMatchObject({ key: 'color', type: 'multiple_choice' });
    expect(color[0]!.rulesetUuids).toHaveLength(2);
    expect((await questionsOf(org.id, 'Feedback'))[0]).toMatchObject({ key: 'comments', type: 'open', rules: [] });

    const poll = await db().poll.findFirstOrThrow({ where: { orgId: org.id, rapidproName: 'Attendance' } });
    expect(poll.rapidproModifiedOn?.getTime()).toBe(Math.floor(flow.modifiedUs / 1000));

    sim.clearRequests();
    await syncFlows(org.id);
    expect(sim.requests().some((r) => r.path.includes('definitions'))).toBe(false);
  });

  it('reads the same questions from legacy definitions', async () => {
    const names = ['Attendance', 'Color Check', 'Feedback', 'Weekly School Poll', 'Teachers Present 1'];
    const shape = (rows: Awaited<ReturnType<typeof questionsOf>>) =>
      rows.map(({ key, rapidproName, type, flowOrder, rules, categories, rulesetUuids }) => ({ key, rapidproName, type, flowOrder, rules, categories, rulesetUuids }));
    const goflow = await trackedOrg(names);
    await syncFlows(goflow.id);
    sim.setVariant('demo', { definitionsFormat: 'legacy' });
    try {
      const legacy = await trackedOrg(names);
      await syncFlows(legacy.id);
      for (const name of names) {
        const expected = shape(await questionsOf(goflow.id, name));
        expect(expected.length, name).toBeGreaterThan(0);
        expect(shape(await questionsOf(legacy.id, name)), name).toEqual(expected);
      }
    } finally {
      sim.setVariant('demo', { definitionsFormat: 'goflow' });
    }
  });

  it('keeps an admin’s type, order, names and shown flag when the flow changes, and follows RapidPro renames', async () => {
    const org = await trackedOrg(['Weekly School Poll']);
    await syncFlows(org.id);
    const [first, second] = await questionsOf(org.id, 'Weekly School Poll');
    expect(first && second).toBeTruthy();
    await db().question.update({ where: { id: first!.id }, data: { type: 'keypad', typeSetByAdmin: true, adminOrder: 2, customName: 'Mine', isActive: false } });
    await db().question.update({ where: { id: second!.id }, data: { adminOrder: 1 } });
    await db().poll.updateMany({ where: { orgId: org.id }, data: { customName: 'My poll' } });

    const flow = sim.state().flows.find((f) => f.name === 'Weekly School Poll')!;
    const original = { name: flow.name, modifiedUs: flow.modifiedUs };
    flow.name = 'Weekly School Poll (v2)';
    flow.modifiedUs += 60_000_000;
    try {
      sim.clearRequests();
      await syncFlows(org.id);
      expect(sim.requests().filter((r) => r.path.includes('definitions'))).toHaveLength(1);
      const poll = await db().poll.findFirstOrThrow({ where: { orgId: org.id, flowUuid: flow.uuid } });
      expect(poll).toMatchObject({ rapidproName: 'Weekly School Poll (v2)', customName: 'My poll', isActive: true });
      const after = await db().question.findMany({ where: { orgId: org.id, pollId: poll.id }, orderBy: { flowOrder: 'asc' } });
      expect(after[0]).toMatchObject({ id: first!.id, type: 'keypad', typeSetByAdmin: true, adminOrder: 2, customName: 'Mine', isActive: false, flowOrder: 1 });
      expect(after[1]).toMatchObject({ id: second!.id, type: second!.type, adminOrder: 1, flowOrder: 2 });
    } finally {
      Object.assign(flow, original);
    }
  });

  it('marks questions whose key vanished inactive and brings them back when the key returns', async () => {
    const org = await trackedOrg(['Weekly School Poll']);
    await syncFlows(org.id);
    const flow = sim.state().flows.find((f) => f.name === 'Weekly School Poll')!;
    const original = { definition: flow.definition, modifiedUs: flow.modifiedUs };
    const nodes = (flow.definition as { nodes: { router?: { result_name?: string } }[] }).nodes;
    const dropped = nodes.find((n) => n.router?.result_name)!.router!.result_name!;
    flow.definition = { ...flow.definition, nodes: nodes.filter((n) => n.router?.result_name !== dropped) };
    flow.modifiedUs += 60_000_000;
    try {
      await syncFlows(org.id);
      const gone = await db().question.findFirstOrThrow({ where: { orgId: org.id, rapidproName: dropped } });
      expect(gone).toMatchObject({ isActive: false, isMissingInRapidPro: true });
      flow.definition = original.definition;
      flow.modifiedUs += 60_000_000;
      await syncFlows(org.id);
      expect(await db().question.findUniqueOrThrow({ where: { id: gone.id } })).toMatchObject({ isActive: true, isMissingInRapidPro: false });
    } finally {
      Object.assign(flow, original);
    }
  });

  it('soft-archives a tracked poll whose flow became a Single Message flow, keeping its questions', async () => {
    const org = await trackedOrg(['Feedback']);
    await syncFlows(org.id);
    const flow = sim.state().flows.find((f) => f.name === 'Feedback')!;
    flow.name = 'Single Message Feedback';
    try {
      const counts = await syncFlows(org.id);
      expect(counts.deactivated).toBe(1);
      const poll = await db().poll.findFirstOrThrow({ where: { orgId: org.id, flowUuid: flow.uuid } });
      expect(poll).toMatchObject({ isActive: false, isMissingInRapidPro: true, rapidproName: 'Feedback' });
      expect(await db().question.count({ where: { orgId: org.id, pollId: poll.id } })).toBe(1);
    } finally {
      flow.name = 'Feedback';
    }
    await syncFlows(org.id);
    expect(await db().poll.findFirstOrThrow({ where: { orgId: org.id, flowUuid: flow.uuid } })).toMatchObject({ isActive: false, isMissingInRapidPro: false });
  });

  it('refuses a selection holding another org’s poll and changes nothing', async () => {
    const org = await trackedOrg(['Attendance']);
    const other = await trackedOrg(['Feedback']);
    const foreign = await db().poll.findFirstOrThrow({ where: { orgId: other.id, rapidproName: 'Feedback' } });
    const mine = await db().poll.findFirstOrThrow({ where: { orgId: org.id, rapidproName: 'Feedback' } });
    expect(await selectPolls(org.id, [mine.id, foreign.id])).toEqual({ ok: false, unknown: [foreign.id] });
    expect((await db().poll.findMany({ where: { orgId: org.id, isActive: true } })).map((p) => p.rapidproName)).toEqual(['Attendance']);
  });
});
