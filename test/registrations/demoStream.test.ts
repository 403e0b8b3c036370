import { describe, expect, it } from 'vitest';
import { saveConfig, loadConfig } from '../../src/registrations/config.js';
import { DEMO_REGISTRATIONS, seedRegistrationsDemo, streamDemoRegistrations } from '../../src/registrations/demoSeeder.js';
import { streamDemoRegistrationsTask } from '../../src/jobs/tasks/StreamDemoRegistrationsTask.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { buildOrg } from '../support/factories.js';
import { drainSlots } from './support.js';

describe('the demo org’s registrations (issue 8)', () => {
  it('are seeded with changes and opt-outs, then keep coming through the intake, a few at a time', async () => {
    const org = await buildOrg();
    expect(await seedRegistrationsDemo(org.id)).toBe(DEMO_REGISTRATIONS);
    const scoped = orgDb(org.id);
    expect(await scoped.registrationChange.count()).toBeGreaterThan(0);
    expect(await scoped.optoutEvent.count()).toBeGreaterThan(0);
    expect((await loadConfig(org.id)).demoStream).toBe(true);

    expect(await streamDemoRegistrations(org.id, 0.99)).toBe(3);
    expect(await streamDemoRegistrations(org.id, 0)).toBe(1);
    expect(await scoped.registration.count()).toBe(DEMO_REGISTRATIONS + 4);
    const latest = await scoped.registration.findMany({ orderBy: { createdAt: 'desc' }, take: 4 });
    expect(latest.every((r) => r.validationStatus === 'valid' && Date.now() - r.createdAt.getTime() < 60_000)).toBe(true);
    await drainSlots('metrics');
    await drainSlots('metrics');
    expect(await scoped.registration.count({ where: { metricsAppliedAt: null } })).toBe(0);
    // Seeding again changes nothing but the switch.
    expect(await seedRegistrationsDemo(org.id)).toBe(0);
  }, 60_000);

  it('never reach an org whose stream the demo seeder did not switch on', async () => {
    const org = await buildOrg();
    expect(await streamDemoRegistrations(org.id)).toBe(0);
    await saveConfig(org.id, { demoStream: true });
    // Switched on but without the seeded sources and operators: still nothing.
    expect(await streamDemoRegistrations(org.id)).toBe(0);
    expect(await orgDb(org.id).registration.count()).toBe(0);
    expect(streamDemoRegistrationsTask.repeat).toEqual({ every: 120_000 });
  });
});
