import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChange } from '../../src/registrations/commands/changeCreator.js';
import { createRegistration } from '../../src/registrations/commands/registrationCreator.js';
import { receiveOptout } from '../../src/registrations/commands/optoutReceiver.js';
import { saveConfig } from '../../src/registrations/config.js';
import { startFakeSeedServices, type FakeSeedServices } from '../../src/registrations/fakes/seedServices.js';
import { computeMetric, computeMetrics, type CountScope } from '../../src/registrations/metrics/generator.js';
import { parseMetricName, type MetricDescriptor } from '../../src/registrations/metrics/names.js';
import { intervalBuckets } from '../../src/registrations/metrics/buckets.js';
import { catalogueFor } from '../../src/registrations/metrics/reads.js';
import { computeBuckets, readSeries } from '../../src/registrations/metrics/series.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { buildSource, drainSlots, FRIEND, MOTHER, OPERATOR, prebirthData } from './support.js';

let fake: FakeSeedServices;
beforeAll(async () => {
  fake = await startFakeSeedServices();
});
afterAll(() => fake.close());

const OTHER_OPERATOR = 'nurse111-6a07-4377-a4f6-c0485ccba234';
const SECOND_MOTHER = 'mother11-9d89-4aa6-99ff-13c225365b5d';
const day = (d: number, hour = 12) => new Date(Date.UTC(2024, 2, d, hour));

/** An org with registrations of two sources, changes and opt-outs over a week, some applied and some not. */
async function busyOrg() {
  const { org, source } = await buildSource();
  const ivr = (await buildSource({ org, slug: 'ivr' })).source;
  await orgDb(org.id).identity.create({ data: { id: OPERATOR, orgId: org.id, details: { state: 'Abuja', role: 'Midwife' } } });
  await orgDb(org.id).identity.create({ data: { id: OTHER_OPERATOR, orgId: org.id, details: { state: 'Cross River', role: 'CHEW' } } });
  const rows: [number, typeof source, Record<string, unknown>][] = [
    [1, source, {}], [1, ivr, { language: 'hau_NG', msg_type: 'audio', operator_id: OTHER_OPERATOR }], [2, source, { msg_receiver: 'mother_only', receiver_id: MOTHER }],
    [3, ivr, { language: 'klingon' }], [4, source, { msg_type: 'audio', msg_receiver: 'mother_only', receiver_id: SECOND_MOTHER, operator_id: OTHER_OPERATOR }],
  ];
  for (const [d, from, data] of rows) await createRegistration(org.id, from, { stage: 'prebirth', motherId: d === 4 ? SECOND_MOTHER : MOTHER, data: prebirthData(data) }, 'test', day(d));
  await createChange(org.id, { motherId: MOTHER, action: 'change_language', data: { new_language: 'hau_NG' } }, 'test', source.id);
  await createChange(org.id, { motherId: MOTHER, action: 'change_baby', data: {} }, 'test', source.id);
  await receiveOptout(org.id, { identity: MOTHER, reason: 'miscarriage', requestSource: 'ussd_public' }, day(5));
  await receiveOptout(org.id, { identity: FRIEND, reason: 'whatever', requestSource: 'ivr' }, day(5, 13));
  await receiveOptout(org.id, { identity: 'nobody00-9d89-4aa6-99ff-13c225365b5d', reason: 'not_useful', requestSource: 'sms' }, day(6));
  await drainSlots('metrics');
  await drainSlots('metrics');
  // Later rows stay unapplied (and unsnapshotted), so "applied" and "window" differ.
  await createRegistration(org.id, source, { stage: 'prebirth', motherId: MOTHER, data: prebirthData({ language: 'yor_NG' }) }, 'test', day(6));
  await receiveOptout(org.id, { identity: SECOND_MOTHER, reason: 'not_useful', requestSource: 'sms_x' }, day(7));
  return { org, source, ivr };
}

async function compare(orgId: number, metrics: MetricDescriptor[], scope: CountScope) {
  const grouped = await computeMetrics(orgId, metrics, scope);
  const single: [string, number][] = [];
  for (const m of metrics) single.push([m.name, await computeMetric(orgId, m, scope)]);
  expect(Object.fromEntries(grouped)).toEqual(Object.fromEntries(single));
  return Object.fromEntries(grouped);
}

describe('grouped metric values (one query per family) equal the per-metric values', () => {
  it('for applied rows (seeding, reconciliation) and for windows (recompute), with the local opt-out record', async () => {
    const { org, source, ivr } = await busyOrg();
    const names = [...(await catalogueFor(org.id)).map((e) => e.name), 'registrations.language.klingon.sum', 'registrations.source.gone.sum', 'optout.source.ivr.total.last'];
    const metrics = names.map((n) => parseMetricName(n)!);
    const applied = await compare(org.id, metrics, { applied: true });
    expect(applied).toMatchObject({
      'registrations.created.total.last': 5, 'registrations.source.ivr.sum': 2, 'registrations.state.abuja.total.last': 3, 'registrations.role.chew.sum': 2,
      'registrations.change.language.sum': 1, 'optout.reason.other.total.last': 1, 'optout.source.ivr.total.last': 1, 'registrations.language.klingon.sum': 1,
      'registrations.source.gone.sum': 0, 'optout.receiver_type.mother_only.total.last': 1,
    });
    const windows = [{ start: day(1, 13), end: day(6, 23) }, { start: null, end: day(4) }, { start: day(5), end: day(8) }];
    for (const window of windows) await compare(org.id, metrics, window);
    // The dashboard's source filter, in the same definitions.
    for (const sourceIds of [[source.id], [ivr.id]]) await compare(org.id, metrics, { ...windows[0]!, sourceIds });
    const bySource = await compare(org.id, metrics, { start: null, end: day(8), sourceIds: [ivr.id] });
    expect(bySource).toMatchObject({ 'registrations.created.total.last': 2, 'registrations.source.ivr.sum': 2, 'registrations.source.ussd.sum': 0, 'registrations.change.language.total.last': 0 });
    // The registration of the 6th was never snapshotted: its window looks its operator up (Abuja).
    expect((await compare(org.id, metrics, windows[2]!))['registrations.state.abuja.sum']).toBe(1);
    // The on-the-fly series counts it too, as the recompute path does (§8.7).
    for (const name of ['registrations.state.abuja.sum', 'registrations.state.abuja.total.last']) {
      const range = { from: day(1, 0), to: day(7, 23), interval: '1d' as const, timeZone: 'UTC' };
      const [series] = await readSeries(org.id, [parseMetricName(name)!], range);
      const buckets = intervalBuckets(range.from, range.to, range.interval, range.timeZone);
      expect(series!.points.map(([, v]) => v)).toEqual(await computeBuckets(org.id, parseMetricName(name)!, buckets));
    }
  });

  it('with an external opt-out record (the Identity Store over HTTP)', async () => {
    const { org } = await busyOrg();
    await saveConfig(org.id, { adapters: { identityStore: { kind: 'http', url: `${fake.url}/` }, sinks: [] } });
    fake.state.optouts.length = 0;
    fake.state.optouts.push({ identity: MOTHER, reason: 'miscarriage', request_source: 'voice_ivr', created_at: day(5).toISOString() });
    fake.state.optouts.push({ identity: SECOND_MOTHER, reason: 'other', request_source: 'sms', created_at: day(7).toISOString() });
    const metrics = (await catalogueFor(org.id)).filter((e) => e.family.startsWith('optout.')).map((e) => parseMetricName(e.name)!);
    const applied = await compare(org.id, metrics, { applied: true });
    expect(applied['optout.source.voice.total.last']).toBe(1);
    await compare(org.id, metrics, { start: day(4), end: day(8) });
  });
});
