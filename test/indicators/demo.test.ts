import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import type { Org } from '../../src/generated/prisma/client.js';
import { computeIndicator } from '../../src/indicators/compute.js';
import { dayOf, definitionOf, loadIndicator } from '../../src/indicators/definition.js';
import { seedIndicatorDemo } from '../../src/indicators/demo.js';
import { chooseFeatured } from '../../src/indicators/featured.js';
import { selectPolls } from '../../src/polls/pollSelector.js';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { readOrgSettings } from '../../src/tenancy/orgSettings.js';
import { startTestSimulator } from '../rapidpro/support.js';
import { connectedOrg, syncNow } from '../sync/support.js';
import { scopeOf } from './support.js';

let sim: RunningSimulator;
let org: Org;
beforeAll(async () => {
  sim = await startTestSimulator({ contacts: 60, weeks: 4, activity: false });
  ({ org } = await connectedOrg(sim));
  await syncNow(org.id, 'contacts');
  await syncNow(org.id, 'flows');
  const polls = await db().poll.findMany({ where: { orgId: org.id, rapidproName: { in: ['Attendance', 'Weekly School Poll'] } } });
  await selectPolls(org.id, polls.map((p) => p.id));
  await syncNow(org.id, 'flows');
  await syncNow(org.id, 'runs');
});
afterAll(async () => {
  await sim.close();
});

describe('the demo indicator', () => {
  it('charts the demo\'s poll runs, is featured on the home page, turns spoof data on, and is added once', async () => {
    await seedIndicatorDemo(org.id);
    await seedIndicatorDemo(org.id);
    const indicators = await db().indicator.findMany({ where: { orgId: org.id } });
    expect(indicators).toHaveLength(1);
    const indicator = (await loadIndicator(org.id, indicators[0]!.id))!;
    expect([indicator.baselinePoll?.rapidproName, indicator.followUpPoll.rapidproName]).toEqual(['Attendance', 'Weekly School Poll']);
    expect(indicator.followUpQuestion.type).toBe('numeric');
    const result = await computeIndicator(definitionOf(indicator), await scopeOf(org), {
      window: { start: dayOf(indicator.startDate), end: dayOf(indicator.endDate) }, goal: null, contactRegionId: null, fieldFilters: [], splitByRegion: false,
    });
    expect(result!.runs.length).toBeGreaterThan(0);
    expect(result!.followUp.sums.some((sum) => sum > 0)).toBe(true);
    expect(result!.baseline.rate).toBeGreaterThan(0);
    expect((await chooseFeatured(org.id, org.timezone)).featured?.id).toBe(indicator.id);
    expect(readOrgSettings((await db().org.findUniqueOrThrow({ where: { id: org.id } })).settings).showSpoofData).toBe(true);
  });
});
