import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistration } from '../../src/registrations/commands/registrationCreator.js';
import { receiveOptout } from '../../src/registrations/commands/optoutReceiver.js';
import { saveConfig } from '../../src/registrations/config.js';
import { startFakeSeedServices, type FakeSeedServices } from '../../src/registrations/fakes/seedServices.js';
import { readCounters } from '../../src/registrations/metrics/applier.js';
import { computeMetric } from '../../src/registrations/metrics/generator.js';
import { parseMetricName } from '../../src/registrations/metrics/names.js';
import { reconcileCounters } from '../../src/registrations/metrics/reconciler.js';
import { runRecompute } from '../../src/registrations/metrics/recomputer.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { buildSource, drainSlots, MOTHER, prebirthData } from './support.js';

let fake: FakeSeedServices;
beforeAll(async () => {
  fake = await startFakeSeedServices();
});
afterAll(() => fake.close());

const STRANGER = 'strange0-9d89-4aa6-99ff-13c225365b5d';

/** An org whose Identity Store is the fake, holding opt-outs this org was never notified of. */
async function orgOnRemoteStore() {
  const built = await buildSource();
  const http = { kind: 'http' as const, url: `${fake.url}/` };
  await saveConfig(built.org.id, { adapters: { identityStore: http, sinks: [] } });
  await createRegistration(built.org.id, built.source, { stage: 'prebirth', motherId: MOTHER, data: prebirthData({ msg_receiver: 'mother_only', receiver_id: MOTHER }) }, 'test');
  await drainSlots('metrics');
  const before = new Date(Date.now() + 1000).toISOString();
  fake.state.optouts.length = 0;
  // The mother opted out by voice before (the hook never reached us), and someone without a registration.
  fake.state.optouts.push({ identity: MOTHER, reason: 'miscarriage', request_source: 'voice_ivr', created_at: before });
  fake.state.optouts.push({ identity: STRANGER, reason: 'not_useful', request_source: 'sms', created_at: before });
  return built;
}

describe('opt-out totals come from the opt-out system of record (spec §8.4, §8.5 step 4, §10.1)', () => {
  it('seeds a cold total from the Identity Store’s list, without counting the notification twice; live sums count notifications', async () => {
    const { org } = await orgOnRemoteStore();
    // The store records the opt-out, then notifies us.
    fake.state.optouts.push({ identity: MOTHER, reason: 'miscarriage', request_source: 'ussd_public', created_at: new Date(Date.now() + 2000).toISOString() });
    await receiveOptout(org.id, { identity: MOTHER, reason: 'miscarriage', requestSource: 'ussd_public' }, new Date(Date.now() + 2000));
    await drainSlots('metrics');
    expect(await readCounters(org.id, ['optout.reason.miscarriage.total.last', 'optout.source.ussd.total.last', 'optout.reason.miscarriage.sum', 'optout.receiver_type.mother_only.total.last'])).toEqual({
      'optout.reason.miscarriage.total.last': 2,
      'optout.source.ussd.total.last': 1,
      'optout.reason.miscarriage.sum': 1,
      'optout.receiver_type.mother_only.total.last': 1,
    });
  });

  it('reconciles totals from the list (opt-outs never notified included, unattributed ones not), and recomputes windows from it', async () => {
    const { org } = await orgOnRemoteStore();
    const summary = await reconcileCounters(org.id);
    expect(summary.drift['optout.source.voice.total.last']).toEqual({ redis: null, database: 1 });
    expect(await readCounters(org.id, ['optout.source.voice.total.last', 'optout.reason.miscarriage.total.last', 'optout.reason.not_useful.total.last', 'optout.msg_type.text.total.last'])).toEqual({
      'optout.source.voice.total.last': 1, 'optout.reason.miscarriage.total.last': 1, 'optout.reason.not_useful.total.last': 0, 'optout.msg_type.text.total.last': 1,
    });
    const window = { start: new Date(Date.now() - 60_000), end: new Date(Date.now() + 60_000) };
    expect(await computeMetric(org.id, parseMetricName('optout.receiver_type.mother_only.sum')!, window)).toBe(1);
    expect(await computeMetric(org.id, parseMetricName('optout.reason.miscarriage.sum')!, { start: window.end, end: new Date(window.end.getTime() + 1000) })).toBe(0);
    // The local table knows none of these.
    expect(await orgDb(org.id).optoutEvent.count()).toBe(0);
  });

  it('skips the values of a recompute while the store fails, and counts them', async () => {
    const { org } = await orgOnRemoteStore();
    fake.state.failing.push('/optouts/');
    try {
      const run = await orgDb(org.id).metricJobRun.create({
        data: { orgId: org.id, kind: 'recompute', status: 'queued', params: { names: ['optout.reason.other.sum', 'registrations.created.sum'], from: '2026-01-01T00:00:00Z', to: '2026-01-03T00:00:00Z', interval: '1d', forward: false } },
      });
      const summary = await runRecompute(org.id, run);
      expect(summary!.written).toBeGreaterThan(0);
      expect(summary!.unavailable).toEqual({ 'optout.reason.other.sum': summary!.written });
    } finally {
      fake.state.failing.length = 0;
    }
  });
});
