import { describe, expect, it } from 'vitest';
import type { PollRunType } from '../../src/generated/prisma/enums.js';
import { canRestart, coversRegion, inBatches, isLatestForRegion, regionLinks, visibleForRegion, type PlacedPollRun } from '../../src/pollruns/startRules.js';

// Spec §12.1's tree: Country ⟶ {North ⟶ {N1, N2}, South}.
const [COUNTRY, NORTH, N1, N2, SOUTH] = [1, 2, 3, 4, 5];
const links = regionLinks([
  { id: COUNTRY, parentId: null },
  { id: NORTH, parentId: COUNTRY },
  { id: N1, parentId: NORTH },
  { id: N2, parentId: NORTH },
  { id: SOUTH, parentId: COUNTRY },
]);

let day = 0;
const run = (id: number, type: PollRunType, regionId: number | null): PlacedPollRun => ({ id, type, regionId, conductedOn: new Date(Date.UTC(2024, 0, ++day)) });

describe('poll run visibility and coverage (spec §12)', () => {
  it('lists the poll runs of §12.1 for each region context', () => {
    const runs = { U: run(1, 'universal', null), A: run(2, 'regional', NORTH), B: run(3, 'propagated', COUNTRY), C: run(4, 'regional', N1), D: run(5, 'regional', COUNTRY) };
    const visible = (region: number | null, sub: boolean) => Object.entries(runs).filter(([, r]) => visibleForRegion(r, region, sub, links)).map(([name]) => name).join('');
    expect(visible(null, true)).toBe('UABCD');
    expect(visible(NORTH, true)).toBe('UABC');
    expect(visible(NORTH, false)).toBe('UAB');
    expect(visible(N1, false)).toBe('UBC');
    expect(visible(COUNTRY, false)).toBe('UBD');
    expect(visible(COUNTRY, true)).toBe('UABCD');
  });

  it('covers a region as §12.2 says', () => {
    const regional = run(1, 'regional', NORTH);
    const propagated = run(2, 'propagated', NORTH);
    expect(coversRegion(regional, NORTH, false, links)).toBe(true);
    expect(coversRegion(regional, COUNTRY, true, links)).toBe(true);
    expect(coversRegion(regional, COUNTRY, false, links)).toBe(false);
    expect(coversRegion(regional, N1, true, links)).toBe(false);
    expect(coversRegion(propagated, N1, false, links)).toBe(true);
    expect(coversRegion(propagated, COUNTRY, false, links)).toBe(false);
    expect(coversRegion(propagated, COUNTRY, true, links)).toBe(true);
    expect(coversRegion(propagated, SOUTH, true, links)).toBe(false);
    expect(coversRegion(run(3, 'universal', null), SOUTH, false, links)).toBe(true);
  });

  it('finds the latest poll run for a region with §12.3\'s example, and offers restarts only for region-started ones', () => {
    const x = run(1, 'regional', NORTH);
    const y = run(2, 'universal', null);
    const z = run(3, 'regional', SOUTH);
    const all = [x, y, z];
    expect(isLatestForRegion(x, all, NORTH, links)).toBe(false);
    expect(isLatestForRegion(x, all, SOUTH, links)).toBe(false);
    expect(isLatestForRegion(y, all, NORTH, links)).toBe(true);
    expect(isLatestForRegion(y, all, SOUTH, links)).toBe(false);
    expect(isLatestForRegion(z, all, SOUTH, links)).toBe(true);
    expect(canRestart(y, all, NORTH, links)).toBe(false);
    expect(canRestart(z, all, SOUTH, links)).toBe(true);
    expect(canRestart(x, [x, z], NORTH, links)).toBe(true);
    expect(canRestart(x, [x, z], null, links)).toBe(false);
  });

  it('splits recipients into batches of at most 100', () => {
    expect(inBatches(Array.from({ length: 250 }, (_, i) => i)).map((b) => b.length)).toEqual([100, 100, 50]);
    expect(inBatches([])).toEqual([]);
  });
});
