import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { tracpro } from '../support/cli.js';
import { buildOrg } from '../support/factories.js';
import { startTestSimulator, TOKEN } from '../rapidpro/support.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startTestSimulator({ contacts: 400, weeks: 1, activity: false });
});
afterAll(() => sim.close());


describe('tracpro org:configure and sync', () => {
  it('tracks groups by name and syncs, printing the five counts', async () => {
    const org = await buildOrg({ apiUrl: sim.url, apiToken: TOKEN });
    const layout = sim.state().layout;
    const panels = layout.groups.filter((g) => g.kind === 'panel').map((g) => g.name);
    const cohort = layout.groups.find((g) => g.kind === 'cohort')!;
    const configured = await tracpro('org:configure', '--org', org.subdomain, '--regions', panels.join(','), '--reporter-groups', cohort.uuid);
    expect(configured.code, configured.stderr).toBe(0);
    expect(configured.stdout).toContain(`Regions: ${panels.length} tracked`);
    expect(await orgDb(org.id).reporterGroup.count({ where: { isActive: true } })).toBe(1);

    const synced = await tracpro('sync', '--org', org.subdomain, '--only', 'fields,contacts', '--wait');
    expect(synced.code, synced.stderr).toBe(0);
    expect(synced.stdout).toMatch(/^contacts: created \d+, updated 0, deactivated 0, deleted 0, failed 0$/m);
    expect(await orgDb(org.id).contact.count()).toBeGreaterThan(300);
  });

  it.concurrent.each([
    [['sync'], /--org: is required/],
    [['sync', '--org', 'no-such-org', '--wait'], /--org: no organization/],
    [['sync', '--org', 'x', '--only', 'contacts,votes'], /--only: use some of/],
    [['org:configure', '--org', 'no-such-org', '--regions', 'A'], /--org: no organization/],
  ])('refuses %j with one line', async (args, pattern) => {
    const result = await tracpro(...args);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(pattern);
  });

  it('refuses unknown group names without changing anything', async () => {
    const org = await buildOrg({ apiUrl: sim.url, apiToken: TOKEN });
    const result = await tracpro('org:configure', '--org', org.subdomain, '--regions', 'Atlantis');
    expect(result.stderr).toMatch(/--regions: RapidPro has no group "Atlantis"/);
    expect(await orgDb(org.id).region.count()).toBe(0);
  });
});
