import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { latestPollRuns, latestRunPerPoll } from '../../src/db/latestPollRuns.js';
import { loadRegionContext } from '../../src/regions/context.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { pollRunVisibility } from '../../src/web/routes/home/widgets.js';
import { buildOrg } from '../support/factories.js';
import { daysAgo, pollNamed, pollRun } from './support.js';

/** The example of spec §12.1: Country → {North → {N1, N2}, South}; poll runs U, A, B, C, D, newest last. */
async function exampleOrg() {
  const org = await buildOrg();
  const region = (name: string, parentId: number | null = null) => orgDb(org.id).region.create({ data: { orgId: org.id, uuid: randomUUID(), name, parentId } });
  const country = await region('Country');
  const north = await region('North', country.id);
  const n1 = await region('N1', north.id);
  await region('N2', north.id);
  const south = await region('South', country.id);
  const poll = await pollNamed(org, 'Weekly School Poll');
  const runs = {
    U: await pollRun(org, poll.id, 'universal', null, daysAgo(5)),
    A: await pollRun(org, poll.id, 'regional', north.id, daysAgo(4)),
    B: await pollRun(org, poll.id, 'propagated', country.id, daysAgo(3)),
    C: await pollRun(org, poll.id, 'regional', n1.id, daysAgo(2)),
    D: await pollRun(org, poll.id, 'regional', country.id, daysAgo(1)),
  };
  return { org, poll, regions: { country, north, n1, south }, runs };
}

async function visibleNames(s: Awaited<ReturnType<typeof exampleOrg>>, region: number | null, sub: boolean) {
  const context = await loadRegionContext(s.org.id, { userId: 0, role: 'admin', isSuperuser: false, orgId: s.org.id }, { region: region ?? 'all', includeSubregions: sub });
  const visibility = await pollRunVisibility({ org: s.org, regions: context } as unknown as Request);
  const ids = (await latestPollRuns(s.org.id, visibility, 100)).map((r) => r.id);
  return Object.entries(s.runs).filter(([, run]) => ids.includes(run.id)).map(([name]) => name).join(', ');
}

describe('poll runs visible for a region, in SQL (spec §12.1)', () => {
  it('list the example table\'s poll runs for each region and sub-region choice', async () => {
    const s = await exampleOrg();
    const { country, north, n1 } = s.regions;
    expect(await visibleNames(s, null, true)).toBe('U, A, B, C, D');
    expect(await visibleNames(s, north.id, true)).toBe('U, A, B, C');
    expect(await visibleNames(s, north.id, false)).toBe('U, A, B');
    expect(await visibleNames(s, n1.id, false)).toBe('U, B, C');
    expect(await visibleNames(s, country.id, false)).toBe('U, B, D');
    expect(await visibleNames(s, country.id, true)).toBe('U, A, B, C, D');
  });

  it('give each tracked poll its newest visible poll run, ignore untracked polls and other orgs', async () => {
    const s = await exampleOrg();
    const other = await exampleOrg();
    const untracked = await pollNamed(s.org, 'Not Followed', { isActive: false });
    await pollRun(s.org, untracked.id, 'universal', null, daysAgo(0));
    const quiet = await pollNamed(s.org, 'Quiet');
    const context = await loadRegionContext(s.org.id, { userId: 0, role: 'admin', isSuperuser: false, orgId: s.org.id }, { region: s.regions.north.id, includeSubregions: false });
    const visibility = await pollRunVisibility({ org: s.org, regions: context } as unknown as Request);
    const polls = await latestRunPerPoll(s.org.id, visibility);
    expect(polls.map((p) => [p.pollName, p.latest?.id ?? null]).sort()).toEqual([['Quiet', null], ['Weekly School Poll', s.runs.B.id]]);
    expect(polls.find((p) => p.pollId === quiet.id)?.latest).toBeNull();
    const latest = await latestPollRuns(s.org.id, visibility);
    expect(latest.map((r) => r.id)).toEqual([s.runs.B.id, s.runs.A.id, s.runs.U.id]);
    expect(latest[0]).toMatchObject({ pollName: 'Weekly School Poll', regionId: s.regions.country.id, regionName: 'Country' });
    expect(latest.map((r) => r.id)).not.toContain(other.runs.U.id);
    expect(await db().pollRun.count({ where: { orgId: s.org.id } })).toBe(6);
  });
});
