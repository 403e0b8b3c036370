import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { categoriseNumber, questionsOfExport, resultKey } from '../../../src/rapidpro/definitions/index.js';
import type { RunningSimulator } from '../../../src/rapidpro/simulator/index.js';
import { startTestSimulator, testClient } from '../support.js';

const FIXTURES = '/work/shared/fixtures/rapidpro-v2-samples';

describe('flow definitions', () => {
  let sim: RunningSimulator;
  afterEach(async () => sim?.close());

  it('extracts identical questions from the goflow and the legacy export of the same flows', async () => {
    sim = await startTestSimulator();
    const client = testClient(sim);
    const flows = await client.flows().all();
    const uuids = flows.map((f) => f.uuid);
    const goflow = await client.definitions(uuids);
    sim.setVariant('demo', { definitionsFormat: 'legacy' });
    const legacy = await client.definitions(uuids);
    expect((legacy.raw as { flows: Record<string, unknown>[] }).flows[0]).toHaveProperty('rule_sets');
    expect(legacy.flows).toEqual(goflow.flows);
    const poll = [...goflow.flows.values()].find((f) => f.name === 'Weekly School Poll')!;
    expect(poll.questions.map((q) => [q.key, q.kind])).toEqual([['pupils_present', 'numeric'], ['water_working', 'categorical'], ['comments', 'open']]);
    expect(poll.questions[0]).toMatchObject({ categories: ['0-50', '51-100', '100+', 'Other', 'No Response'], defaultCategory: 'Other', timeoutCategory: 'No Response', prompt: 'How many pupils attended today?' });
    for (const flow of flows) {
      const questions = goflow.flows.get(flow.uuid)!.questions;
      expect(flow.results).toEqual(questions.map((q) => ({ key: q.key, name: q.name, categories: q.categories, nodeUuids: q.nodeUuids })));
    }
    const color = [...goflow.flows.values()].find((f) => f.name === 'Color Check')!;
    expect(color.questions).toHaveLength(1);
    expect(color.questions[0]!.nodeUuids).toHaveLength(2);
  });

  it('reads the legacy fixture export', () => {
    const flows = questionsOfExport(JSON.parse(readFileSync(`${FIXTURES}/definitions.json`, 'utf8')));
    expect(flows.get('f14e4ff0-724d-43fe-a953-1d16aefd1c0b')).toEqual({
      name: 'Water Point Survey',
      questions: [expect.objectContaining({ key: 'name', nodeUuid: '32d415f8-6d31-4b82-922e-a93416d5aa0a', kind: 'open', categories: ['All Responses'], defaultCategory: 'All Responses', prompt: 'What is your name?' })],
    });
  });

  it('applies numeric rules in order with the documented bounds', () => {
    const question = {
      defaultCategory: 'Other',
      rules: [
        { test: 'has_number_lt', args: ['10'], category: 'low' },
        { test: 'has_number_between', args: ['10', '20'], category: 'mid' },
        { test: 'has_number_gte', args: ['@fields.max'], category: 'dynamic' },
        { test: 'has_number_gt', args: ['20'], category: 'high' },
      ],
    };
    expect([9.99, 10, 20, 20.01, Number.NaN].map((v) => categoriseNumber(question, v))).toEqual(['low', 'mid', 'mid', 'high', 'Other']);
    expect(resultKey('  Water Working? ')).toBe('water_working_');
  });
});
