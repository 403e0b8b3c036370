import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { withPgTransaction } from '../../src/db/pool.js';
import { applyRunPage } from '../../src/db/pollRunIngest.js';
import type { Org } from '../../src/generated/prisma/client.js';
import { RunSchema } from '../../src/rapidpro/client/index.js';
import { mapRun, type TrackedPoll } from '../../src/pollruns/runMapping.js';
import { buildOrg } from '../support/factories.js';

interface Setup {
  org: Org;
  poll: TrackedPoll;
  questions: { pupils: number; color: number };
  contacts: string[];
}

async function setup(timezone = 'UTC'): Promise<Setup> {
  const org = await buildOrg({ timezone });
  const poll = await db().poll.create({ data: { orgId: org.id, flowUuid: randomUUID(), rapidproName: 'Attendance', isActive: true } });
  const pupils = await db().question.create({ data: { orgId: org.id, pollId: poll.id, key: 'pupils', rapidproName: 'Pupils', type: 'numeric', flowOrder: 1 } });
  const color = await db().question.create({ data: { orgId: org.id, pollId: poll.id, key: 'color', rapidproName: 'Color', type: 'multiple_choice', flowOrder: 2 } });
  const contacts = [randomUUID(), randomUUID(), randomUUID()];
  await db().contact.createMany({
    data: contacts.map((uuid, i) => ({ orgId: org.id, uuid, name: `C${i}`, urn: `tel:+25078800000${i}`, isActive: i < 2 })),
  });
  return {
    org,
    poll: { pollId: poll.id, questionsByKey: new Map([['pupils', pupils.id], ['color', color.id]]), questionsByNode: new Map() },
    questions: { pupils: pupils.id, color: color.id },
    contacts,
  };
}

interface RunInput {
  uuid?: string;
  contact: string;
  created: string;
  modified?: string;
  values?: Record<string, [string, unknown, string]>;
  exit?: string | null;
  start?: string | null;
}

function run(s: Setup, input: RunInput) {
  const values = Object.fromEntries(Object.entries(input.values ?? {}).map(([key, [value, category, time]]) => [key, { name: key, value, category, node: randomUUID(), time }]));
  return mapRun(
    RunSchema.parse({
      uuid: input.uuid ?? randomUUID(),
      flow: { uuid: 'f', name: 'Attendance' },
      contact: { uuid: input.contact, name: null },
      start: input.start ? { uuid: input.start } : null,
      responded: Object.keys(values).length > 0,
      path: null,
      values,
      created_on: input.created,
      modified_on: input.modified ?? input.created,
      exited_on: input.exit ? input.created : null,
      exit_type: input.exit ?? null,
    }),
    s.poll,
    s.org.timezone,
  );
}

function apply(orgId: number, runs: ReturnType<typeof run>[]) {
  return withPgTransaction((client) => applyRunPage(client, orgId, runs));
}

async function answersOf(orgId: number, questionId: number) {
  return db().answer.findMany({ where: { orgId, questionId }, orderBy: { submittedOn: 'asc' } });
}

describe('applying runs', () => {
  it('re-reading a run changes nothing; a newer modified_on replaces answers and status (§24.7)', async () => {
    const s = await setup();
    const first = run(s, { uuid: randomUUID(), contact: s.contacts[0]!, created: '2024-05-01T08:00:00Z', values: { pupils: ['3', 'Few', '2024-05-01T08:01:00Z'] } });
    expect(await apply(s.org.id, [first])).toEqual({ created: 1, updated: 0, skipped: 0 });
    const before = await db().response.findFirstOrThrow({ where: { orgId: s.org.id } });
    expect(before).toMatchObject({ status: 'P', isActive: true, runUuid: first.runUuid });

    expect(await apply(s.org.id, [first, first])).toEqual({ created: 0, updated: 0, skipped: 0 });
    expect((await db().response.findFirstOrThrow({ where: { orgId: s.org.id } })).updatedAt).toEqual(before.updatedAt);

    const newer = run(s, {
      uuid: first.runUuid, contact: s.contacts[0]!, created: '2024-05-01T08:00:00Z', modified: '2024-05-01T08:10:00.000001Z', exit: 'completed',
      values: { pupils: ['4', 'Few', '2024-05-01T08:05:00Z'], color: ['red', { base: 'Red', fra: 'Rouge' }, '2024-05-01T08:06:00Z'] },
    });
    expect(await apply(s.org.id, [newer])).toEqual({ created: 0, updated: 1, skipped: 0 });
    const after = await db().response.findFirstOrThrow({ where: { orgId: s.org.id }, include: { answers: true } });
    expect(after).toMatchObject({ id: before.id, status: 'C', exitType: 'completed' });
    expect(after.updatedOn.toISOString()).toBe('2024-05-01T08:06:00.000Z');
    expect(after.completedOn).not.toBeNull();
    expect(after.answers.map((a) => [a.value, a.category]).sort()).toEqual([['4', 'Few'], ['red', 'Red']]);
    expect(await db().pollRun.count({ where: { orgId: s.org.id } })).toBe(1);
  });

  it('keeps only the later-created response of a contact active in a daily poll run (§24.8), and writes empty responses', async () => {
    const s = await setup();
    const later = run(s, { contact: s.contacts[0]!, created: '2024-05-01T15:00:00Z' });
    const earlier = run(s, { contact: s.contacts[0]!, created: '2024-05-01T09:00:00Z', values: { pupils: ['2', 'Few', '2024-05-01T09:01:00Z'] } });
    await apply(s.org.id, [later]);
    await apply(s.org.id, [earlier]);
    const responses = await db().response.findMany({ where: { orgId: s.org.id }, orderBy: { createdOn: 'asc' } });
    expect(responses.map((r) => [r.runUuid, r.status, r.isActive])).toEqual([[earlier.runUuid, 'P', false], [later.runUuid, 'E', true]]);
    expect(new Set(responses.map((r) => r.pollRunId)).size).toBe(1);
  });

  it('buckets runs by the org-local day of their creation at UTC+04:30 (§9.3, §24.9)', async () => {
    const s = await setup('Asia/Kabul');
    await apply(s.org.id, [
      run(s, { contact: s.contacts[0]!, created: '2024-03-01T18:00:00Z' }),
      run(s, { contact: s.contacts[0]!, created: '2024-03-01T20:00:00Z' }),
      run(s, { contact: s.contacts[1]!, created: '2024-03-02T10:00:00Z' }),
    ]);
    const runs = await db().pollRun.findMany({ where: { orgId: s.org.id }, include: { responses: true }, orderBy: { conductedOn: 'asc' } });
    expect(runs.map((r) => [r.type, r.localDay?.toISOString().slice(0, 10), r.conductedOn.toISOString(), r.responses.length])).toEqual([
      ['universal', '2024-03-01', '2024-03-01T18:00:00.000Z', 1],
      ['universal', '2024-03-02', '2024-03-01T20:00:00.000Z', 2],
    ]);
  });

  it('attributes a run whose start is a poll run\'s flow start to that poll run (§23.1)', async () => {
    const s = await setup();
    const start = randomUUID();
    const regional = await db().pollRun.create({ data: { orgId: s.org.id, pollId: s.poll.pollId, type: 'regional', conductedOn: new Date('2024-05-01T07:00:00Z'), flowStartUuids: [start] } });
    await apply(s.org.id, [run(s, { contact: s.contacts[0]!, created: '2024-05-01T08:00:00Z', start }), run(s, { contact: s.contacts[1]!, created: '2024-05-01T08:00:00Z', start: randomUUID() })]);
    const responses = await db().response.findMany({ where: { orgId: s.org.id }, include: { pollRun: true } });
    expect(responses.map((r) => r.pollRun.type).sort()).toEqual(['regional', 'universal']);
    expect(responses.find((r) => r.pollRun.type === 'regional')!.pollRunId).toBe(regional.id);
  });

  it('skips runs of contacts unknown here or inactive (invariant 17) without creating poll runs for them', async () => {
    const s = await setup();
    const counts = await apply(s.org.id, [run(s, { contact: s.contacts[2]!, created: '2024-05-01T08:00:00Z' }), run(s, { contact: randomUUID(), created: '2024-05-01T08:00:00Z' })]);
    expect(counts).toEqual({ created: 0, updated: 0, skipped: 2 });
    expect(await db().pollRun.count({ where: { orgId: s.org.id } })).toBe(0);
  });

  it('precomputes last and sum values of a contact\'s answers of one org-local day, across poll runs (§24.11)', async () => {
    const s = await setup();
    await apply(s.org.id, [run(s, { contact: s.contacts[0]!, created: '2024-05-01T07:59:00Z', values: { pupils: ['3', 'Few', '2024-05-01T08:00:00Z'] } })]);
    // A second answer the same day, in a different poll run (a region start).
    const start = randomUUID();
    await db().pollRun.create({ data: { orgId: s.org.id, pollId: s.poll.pollId, type: 'regional', conductedOn: new Date('2024-05-01T16:00:00Z'), flowStartUuids: [start] } });
    await apply(s.org.id, [run(s, { contact: s.contacts[0]!, created: '2024-05-01T16:59:00Z', start, values: { pupils: ['5', 'Few', '2024-05-01T17:00:00Z'] } })]);
    // Another contact and another day stay apart.
    await apply(s.org.id, [run(s, { contact: s.contacts[1]!, created: '2024-05-01T09:00:00Z', values: { pupils: ['10', 'Few', '2024-05-01T09:00:00Z'] } })]);
    await apply(s.org.id, [run(s, { contact: s.contacts[0]!, created: '2024-05-02T09:00:00Z', values: { pupils: ['1.5', 'Few', '2024-05-02T09:00:00Z'] } })]);
    const answers = await answersOf(s.org.id, s.questions.pupils);
    expect(answers.map((a) => [a.value, a.lastValue, a.sumValue])).toEqual([
      ['3', '5', '8.0'],
      ['10', '10', '10.0'],
      ['5', '5', '8.0'],
      ['1.5', '1.5', '1.5'],
    ]);
  });

  it('sums only numeric values, and keeps each own value when none is numeric (§24.12)', async () => {
    const s = await setup();
    await apply(s.org.id, [
      run(s, { contact: s.contacts[0]!, created: '2024-05-01T08:00:00Z', values: { pupils: ['3', 'Few', '2024-05-01T08:00:00Z'], color: ['n/a', 'Other', '2024-05-01T08:00:00Z'] } }),
      run(s, { contact: s.contacts[0]!, created: '2024-05-01T17:00:00Z', values: { pupils: ['n/a', 'Other', '2024-05-01T17:00:00Z'], color: ['none', 'Other', '2024-05-01T17:00:00Z'] } }),
    ]);
    expect((await answersOf(s.org.id, s.questions.pupils)).map((a) => [a.value, a.lastValue, a.sumValue])).toEqual([['3', 'n/a', '3.0'], ['n/a', 'n/a', '3.0']]);
    expect((await answersOf(s.org.id, s.questions.color)).map((a) => [a.value, a.lastValue, a.sumValue])).toEqual([['n/a', 'none', 'n/a'], ['none', 'none', 'none']]);
  });

  it('stores values and categories as given, whatever characters they hold', async () => {
    const s = await setup();
    const odd = ['say "hi", {ok}', 'back\\slash \\"', 'NULL', '', ' padded\nline '];
    await apply(s.org.id, odd.map((value, i) =>
      run(s, { contact: s.contacts[0]!, created: `2024-05-0${i + 1}T08:00:00Z`, values: { color: [value, value || null, `2024-05-0${i + 1}T08:00:00Z`] } })));
    const stored = await answersOf(s.org.id, s.questions.color);
    expect(stored.map((a) => [a.value, a.category])).toEqual(odd.map((value) => [value, value || null]));
  });

  it('never reads or writes another org\'s rows', async () => {
    const a = await setup();
    const b = await setup();
    // The same contact uuid in both orgs, and the same run uuid: each org keeps its own.
    await db().contact.create({ data: { orgId: b.org.id, uuid: a.contacts[0]!, name: 'Twin', urn: 'tel:+250788999999' } });
    const uuid = randomUUID();
    await apply(a.org.id, [run(a, { uuid, contact: a.contacts[0]!, created: '2024-05-01T08:00:00Z', values: { pupils: ['3', 'Few', '2024-05-01T08:00:00Z'] } })]);
    expect(await apply(b.org.id, [run(b, { uuid, contact: a.contacts[0]!, created: '2024-05-01T08:00:00Z', values: { pupils: ['4', 'Few', '2024-05-01T08:30:00Z'] } })])).toEqual({ created: 1, updated: 0, skipped: 0 });
    const [inA] = await answersOf(a.org.id, a.questions.pupils);
    const [inB] = await answersOf(b.org.id, b.questions.pupils);
    expect([inA!.lastValue, inA!.sumValue, inB!.lastValue, inB!.sumValue]).toEqual(['3', '3.0', '4', '4.0']);
    expect(await db().response.count({ where: { runUuid: uuid } })).toBe(2);
  });
});
