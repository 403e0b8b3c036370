import { describe, expect, it } from 'vitest';
import { RunSchema } from '../../src/rapidpro/client/index.js';
import { localDay, mapRun, responseStatus, runUpdatedOn, type TrackedPoll } from '../../src/pollruns/runMapping.js';

const POLL: TrackedPoll = {
  pollId: 7,
  questionsByKey: new Map([['pupils', 1], ['color', 2]]),
  questionsByNode: new Map([['node-feedback', 3]]),
};

function run(overrides: Record<string, unknown> = {}) {
  return RunSchema.parse({
    uuid: 'run-1',
    flow: { uuid: 'flow-1', name: 'Attendance' },
    contact: { uuid: 'contact-1', name: 'Amina' },
    start: null,
    responded: true,
    path: null,
    values: {},
    created_on: '2024-03-01T18:00:00.000000Z',
    modified_on: '2024-03-01T18:05:00.123456Z',
    exited_on: null,
    exit_type: null,
    ...overrides,
  });
}

const value = (v: string, category: unknown, time: string, node = 'node-x') => ({ name: 'Q', value: v, category, node, time });

describe('response status (§24.6)', () => {
  it('is C for a completed run with two values, P for one value not completed, E for no values', () => {
    const two = { pupils: value('12', 'Few', '2024-03-01T18:01:00Z'), color: value('red', 'Red', '2024-03-01T18:02:00Z') };
    expect(responseStatus(run({ values: two, exit_type: 'completed', exited_on: '2024-03-01T18:03:00Z' }))).toBe('C');
    expect(responseStatus(run({ values: { pupils: two.pupils } }))).toBe('P');
    expect(responseStatus(run({ values: { pupils: two.pupils }, exit_type: 'expired' }))).toBe('P');
    expect(responseStatus(run())).toBe('E');
    expect(responseStatus(run({ exit_type: 'completed' }))).toBe('C');
  });

  it('dates a response by its latest value, else by the run creation', () => {
    const values = { pupils: value('1', 'x', '2024-03-01T18:04:00Z'), color: value('red', 'Red', '2024-03-01T18:02:00Z') };
    expect(runUpdatedOn(run({ values })).toISOString()).toBe('2024-03-01T18:04:00.000Z');
    expect(runUpdatedOn(run()).toISOString()).toBe('2024-03-01T18:00:00.000Z');
  });
});

describe('org-local days (§9.3, §24.9, D5)', () => {
  it('puts 18:00 and 20:00 UTC on March 1 on two days at UTC+04:30, and 10:00 UTC on March 2 with the second', () => {
    const zone = 'Asia/Kabul';
    expect(localDay(new Date('2024-03-01T18:00:00Z'), zone)).toBe('2024-03-01');
    expect(localDay(new Date('2024-03-01T20:00:00Z'), zone)).toBe('2024-03-02');
    expect(localDay(new Date('2024-03-02T10:00:00Z'), zone)).toBe('2024-03-02');
    expect(localDay(new Date('2024-03-01T20:00:00Z'), 'UTC')).toBe('2024-03-01');
  });

  it('gives a mapped run the local day of its creation and each answer that of its value', () => {
    const mapped = mapRun(run({ created_on: '2024-03-01T20:00:00Z', values: { pupils: value('4', 'Few', '2024-03-01T19:00:00Z') } }), POLL, 'Asia/Kabul');
    expect(mapped.localDay).toBe('2024-03-02');
    expect(mapped.answers[0]!.localDay).toBe('2024-03-01');
  });
});

describe('answers of a run (invariant 6, §24.10)', () => {
  it('keeps values of active questions (by key, else node), reduces categories, and keeps the modified_on text', () => {
    const mapped = mapRun(
      run({
        values: {
          pupils: value('12', { base: 'Yes', fra: 'Oui' }, '2024-03-01T18:01:00Z'),
          color: value('blue', { kin: 'Yego' }, '2024-03-01T18:02:00Z'),
          comments: value('great', 'All Responses', '2024-03-01T18:03:00Z', 'node-feedback'),
          inactive_question: value('x', 'X', '2024-03-01T18:04:00Z'),
        },
      }),
      POLL,
      'UTC',
    );
    expect(mapped.answers.map((a) => [a.questionId, a.value, a.category])).toEqual([
      [1, '12', 'Yes'],
      [2, 'blue', 'Yego'],
      [3, 'great', null],
    ]);
    expect(mapped).toMatchObject({ runUuid: 'run-1', pollId: 7, contactUuid: 'contact-1', status: 'P', modifiedOn: '2024-03-01T18:05:00.123456Z' });
  });

  it('cuts values to 640 characters and categories to 36', () => {
    const mapped = mapRun(run({ values: { pupils: value('x'.repeat(700), 'c'.repeat(50), '2024-03-01T18:01:00Z') } }), POLL, 'UTC');
    expect(mapped.answers[0]!.value).toHaveLength(640);
    expect(mapped.answers[0]!.category).toHaveLength(36);
  });
});
