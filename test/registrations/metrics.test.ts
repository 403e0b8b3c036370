import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgPool } from '../../src/db/pool.js';
import { redis } from '../../src/db/redis.js';
import { createRegistration } from '../../src/registrations/commands/registrationCreator.js';
import { receiveOptout } from '../../src/registrations/commands/optoutReceiver.js';
import { saveConfig } from '../../src/registrations/config.js';
import { startFakeSeedServices, type FakeSeedServices } from '../../src/registrations/fakes/seedServices.js';
import { parseRetentions, retentionBuckets } from '../../src/registrations/metrics/buckets.js';
import { computeMetric } from '../../src/registrations/metrics/generator.js';
import { metricKeys } from '../../src/registrations/metrics/keys.js';
import { parseMetricName } from '../../src/registrations/metrics/names.js';
import { applyPendingMetrics, BATCH_LIMIT, readCounters } from '../../src/registrations/metrics/applier.js';
import { lookUpPendingOperators, SNAPSHOT_ATTEMPTS } from '../../src/registrations/metrics/operatorSnapshot.js';
import { reconcileCounters, expectedCounters } from '../../src/registrations/metrics/reconciler.js';
import { startRecompute } from '../../src/registrations/metrics/reads.js';
import { computeBuckets, readSeries } from '../../src/registrations/metrics/series.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { drainQueue } from '../support/queues.js';
import { buildSource, drainSlots, FRIEND, MOTHER, OPERATOR, prebirthData } from './support.js';

let fake: FakeSeedServices;
beforeAll(async () => {
  fake = await startFakeSeedServices();
});
afterAll(() => fake.close());

const metric = (name: string) => parseMetricName(name)!;

async function orgWithHttpSink() {
  const built = await buildSource();
  await saveConfig(built.org.id, { adapters: { sinks: [{ kind: 'http', url: `${fake.url}/` }] }, metricPrefix: `org${built.org.id}` });
  return built;
}

function emitted(orgId: number, name: string): number[] {
  const key = `org${orgId}.${name}`;
  return fake.state.metrics.filter((m) => key in m).map((m) => m[key]!);
}

async function drain() {
  await drainSlots('metrics');
  await drainSlots('metrics');
}

describe('live metrics (spec §8.5, §12 examples 6, 7, 9, 10)', () => {
  it('6: two registrations in an empty org emit sums of 1 and totals 1 then 2; a known operator is counted once', async () => {
    const { org, source } = await orgWithHttpSink();
    await createRegistration(org.id, source, { stage: 'prebirth', motherId: MOTHER, data: prebirthData() }, 'test');
    await createRegistration(org.id, source, { stage: 'prebirth', motherId: MOTHER, data: prebirthData() }, 'test');
    await drain();
    await expect.poll(() => emitted(org.id, 'registrations.created.total.last').sort(), { timeout: 5000 }).toEqual([1, 2]);
    expect(emitted(org.id, 'registrations.created.sum')).toEqual([1, 1]);
    expect(emitted(org.id, 'registrations.unique_operators.sum')).toEqual([1]);
    expect(await readCounters(org.id, ['registrations.created.total.last', 'registrations.unique_operators.sum', 'registrations.source.ussd.sum']))
      .toEqual({ 'registrations.created.total.last': 2, 'registrations.unique_operators.sum': 1, 'registrations.source.ussd.sum': 2 });
    expect(await orgDb(org.id).registration.count({ where: { metricsAppliedAt: null } })).toBe(0);
  });

  it('7: snapshots the operator’s state and role, normalised', async () => {
    const { org, source } = await orgWithHttpSink();
    await orgDb(org.id).identity.create({ data: { id: OPERATOR, orgId: org.id, details: { state: 'Abuja', role: 'Midwife' } } });
    const row = await createRegistration(org.id, source, { stage: 'prebirth', motherId: MOTHER, data: prebirthData() }, 'test');
    await drain();
    expect(await orgDb(org.id).registration.findFirst({ where: { id: row.id } })).toMatchObject({ operatorState: 'abuja', operatorRole: 'midwife' });
    expect(await readCounters(org.id, ['registrations.state.abuja.total.last', 'registrations.role.midwife.total.last'])).toEqual({
      'registrations.state.abuja.total.last': 1, 'registrations.role.midwife.total.last': 1,
    });
    await expect.poll(() => emitted(org.id, 'registrations.state.abuja.sum'), { timeout: 5000 }).toEqual([1]);
    expect(emitted(org.id, 'registrations.role.midwife.sum')).toEqual([1]);
  });

  it('a dead Identity Store holds back only its registration, and after the last attempt it counts without state and role', async () => {
    const { org, source } = await buildSource();
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    await saveConfig(org.id, { adapters: { identityStore: { kind: 'http', url: `http://127.0.0.1:${port}/` }, sinks: [] } });
    const withOperator = await createRegistration(org.id, source, { stage: 'prebirth', motherId: MOTHER, data: prebirthData() }, 'test');
    await createRegistration(org.id, source, { stage: 'prebirth', motherId: FRIEND, data: prebirthData({ operator_id: undefined }) }, 'test');

    expect(await lookUpPendingOperators(org.id, BATCH_LIMIT)).toBe(false);
    const first = await applyPendingMetrics(org.id);
    expect(first).toMatchObject({ locked: true, more: false });
    expect(first.applied.map((e) => e.rowId)).not.toContain(withOperator.id);
    expect(await readCounters(org.id, ['registrations.created.total.last'])).toEqual({ 'registrations.created.total.last': 1 });

    for (let attempt = 2; attempt < SNAPSHOT_ATTEMPTS; attempt++) expect(await lookUpPendingOperators(org.id, BATCH_LIMIT)).toBe(false);
    expect(await lookUpPendingOperators(org.id, BATCH_LIMIT)).toBe(true);
    expect((await applyPendingMetrics(org.id)).applied.map((e) => e.rowId)).toEqual([withOperator.id]);
    expect(await orgDb(org.id).registration.findFirst({ where: { id: withOperator.id } })).toMatchObject({ operatorState: null, operatorRole: null, metricsAppliedAt: expect.any(Date) });
    expect(await readCounters(org.id, ['registrations.created.total.last', 'registrations.unique_operators.sum'])).toEqual({
      'registrations.created.total.last': 2, 'registrations.unique_operators.sum': 1,
    });
  });

  it('gives up a batch whose rows another transaction holds, counting nothing, and counts it once they are free', async () => {
    const { org, source } = await buildSource();
    const held = await createRegistration(org.id, source, { stage: 'prebirth', motherId: MOTHER, data: prebirthData({ operator_id: undefined }) }, 'test');
    await createRegistration(org.id, source, { stage: 'prebirth', motherId: FRIEND, data: prebirthData({ operator_id: undefined }) }, 'test');
    const other = await pgPool().connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT id FROM registrations WHERE id = $1 FOR UPDATE', [held.id]);
      await expect(applyPendingMetrics(org.id)).rejects.toThrow(/lock timeout/);
      expect(await orgDb(org.id).registration.count({ where: { metricsAppliedAt: null } })).toBe(2);
      expect(await redis().get(metricKeys.counter(org.id, 'registrations.created.total.last'))).not.toBe('1');
      await other.query('COMMIT');
    } finally {
      other.release();
    }
    expect((await applyPendingMetrics(org.id)).applied).toHaveLength(2);
    expect(await readCounters(org.id, ['registrations.created.total.last'])).toEqual({ 'registrations.created.total.last': 2 });
  });

  it('9–10: an attributed opt-out feeds the opt-out metrics; one without a registration is stored and counts nothing', async () => {
    const { org, source } = await orgWithHttpSink();
    await createRegistration(org.id, source, { stage: 'prebirth', motherId: MOTHER, data: prebirthData({ msg_receiver: 'mother_only', receiver_id: MOTHER }) }, 'test');
    await receiveOptout(org.id, { identity: MOTHER, reason: 'miscarriage', requestSource: 'ussd_public' });
    await receiveOptout(org.id, { identity: FRIEND, reason: 'not_useful', requestSource: 'sms' });
    await drain();
    const names = ['optout.receiver_type.mother_only', 'optout.reason.miscarriage', 'optout.msg_type.text', 'optout.source.ussd'];
    const values = await readCounters(org.id, names.flatMap((n) => [`${n}.sum`, `${n}.total.last`]));
    expect(Object.values(values)).toEqual(new Array(8).fill(1));
    await expect.poll(() => emitted(org.id, 'optout.source.ussd.sum'), { timeout: 5000 }).toEqual([1]);
    expect(await orgDb(org.id).optoutEvent.count()).toBe(2);
    expect(await readCounters(org.id, ['optout.reason.not_useful.sum', 'optout.source.sms.sum'])).toEqual({ 'optout.reason.not_useful.sum': 0, 'optout.source.sms.sum': 0 });
    expect(await redis().exists(metricKeys.counter(org.id, 'optout.source.sms.sum'))).toBe(0);
  });

  it('seeds counters from applied rows on a cold cache and reconciles drift', async () => {
    const { org, source } = await orgWithHttpSink();
    for (let i = 0; i < 3; i++) await createRegistration(org.id, source, { stage: 'prebirth', motherId: MOTHER, data: prebirthData() }, 'test');
    await drain();
    await redis().del(metricKeys.counter(org.id, 'registrations.created.total.last'));
    await createRegistration(org.id, source, { stage: 'prebirth', motherId: MOTHER, data: prebirthData() }, 'test');
    await drain();
    expect((await readCounters(org.id, ['registrations.created.total.last']))['registrations.created.total.last']).toBe(4);
    await redis().set(metricKeys.counter(org.id, 'registrations.language.eng_NG.total.last'), 99);
    const summary = await reconcileCounters(org.id);
    expect(summary.drift['registrations.language.eng_NG.total.last']).toEqual({ redis: 99, database: 4 });
    const expected = await expectedCounters(org.id);
    expect(await readCounters(org.id, Object.keys(expected))).toEqual(expected);
  });
});

describe('windows and recomputation (spec §8.6–8.7, §12 examples 8 and 11)', () => {
  it('8: counts sums in (start, end] and totals up to the end', async () => {
    const { org, source } = await buildSource();
    for (const day of [14, 15, 20, 25, 26]) {
      await orgDb(org.id).registration.create({
        data: { orgId: org.id, sourceId: source.id, stage: 'public', motherId: MOTHER, validationStatus: 'invalid', createdBy: 't', updatedBy: 't', createdAt: new Date(Date.UTC(2016, 9, day)) },
      });
    }
    const window = { start: new Date('2016-10-15T00:00:00Z'), end: new Date('2016-10-25T00:00:00Z') };
    expect(await computeMetric(org.id, metric('registrations.created.sum'), window)).toBe(2);
    expect(await computeMetric(org.id, metric('registrations.created.total.last'), window)).toBe(4);
    expect(await computeMetric(org.id, metric('registrations.created.last'), window)).toBe(4);
  });

  it('serves the same series from a recompute as on the fly', async () => {
    const { org, source } = await buildSource();
    for (const day of [1, 2, 2, 5]) {
      await orgDb(org.id).registration.create({
        data: { orgId: org.id, sourceId: source.id, stage: 'public', motherId: MOTHER, msgType: 'text', validationStatus: 'invalid', createdBy: 't', updatedBy: 't', createdAt: new Date(Date.UTC(2020, 0, day, 12)) },
      });
    }
    const range = { from: new Date('2020-01-01T00:00:00Z'), to: new Date('2020-01-06T00:00:00Z'), interval: '1d' as const, timeZone: 'UTC' };
    const metrics = [metric('registrations.created.sum'), metric('registrations.msg_type.text.total.last')];
    const onTheFly = await readSeries(org.id, metrics, range);
    const started = await startRecompute(org.id, { names: metrics.map((m) => m.name), from: range.from.toISOString(), to: range.to.toISOString(), interval: '1d', forward: false });
    expect('jobId' in started).toBe(true);
    await drainQueue('registrations');
    const run = await orgDb(org.id).metricJobRun.findFirstOrThrow({ where: { id: (started as { jobId: string }).jobId } });
    expect(run).toMatchObject({ status: 'done', progress: 1 });
    expect(await orgDb(org.id).metricPoint.count({ where: { origin: 'recompute' } })).toBe(12);
    expect(await readSeries(org.id, metrics, range)).toEqual(onTheFly);
    expect(onTheFly[0]!.points.map(([, v]) => v)).toEqual([1, 2, 0, 0, 1, 0]);
    expect(onTheFly[1]!.points.map(([, v]) => v)).toEqual([1, 3, 3, 3, 4, 4]);
    expect(await computeBuckets(org.id, metrics[0]!, [{ start: range.from, end: range.to }])).toEqual([4]);
  });

  it('counts every registration family per bucket in one statement as the per-bucket generator does, edges included, and filters by source', async () => {
    const { org, source } = await buildSource();
    const ivr = await buildSource({ org, slug: 'ivr' });
    const other = await buildSource();
    const at = (day: number, hour = 0) => new Date(Date.UTC(2021, 2, day, hour));
    const rows: [Date, string, string | null, string | null][] = [
      [at(1), source.id, 'text', 'abuja'], [at(1, 12), ivr.source.id, 'audio', 'abuja'], [at(2), source.id, 'text', null], [at(2, 1), ivr.source.id, 'text', 'ebonyi'],
      [at(3, 23), source.id, null, 'abuja'], [at(5), ivr.source.id, 'text', 'abuja'], [at(7), source.id, 'text', 'abuja'],
    ];
    for (const [createdAt, sourceId, msgType, operatorState] of rows) {
      await orgDb(org.id).registration.create({ data: { orgId: org.id, sourceId, stage: 'public', motherId: MOTHER, msgType, operatorState, validationStatus: 'invalid', createdBy: 't', updatedBy: 't', createdAt } });
    }
    await orgDb(other.org.id).registration.create({ data: { orgId: other.org.id, sourceId: other.source.id, stage: 'public', motherId: MOTHER, msgType: 'text', validationStatus: 'invalid', createdBy: 't', updatedBy: 't', createdAt: at(2, 5) } });
    const range = { from: at(2), to: at(5), interval: '1d' as const, timeZone: 'UTC' };
    const names = ['registrations.created.sum', 'registrations.created.total.last', 'registrations.source.ivr.sum', 'registrations.msg_type.text.sum',
      'registrations.msg_type.text.total.last', 'registrations.state.abuja.total.last', 'registrations.state.abuja.sum'];
    const series = await readSeries(org.id, names.map(metric), range);
    const buckets = series[0]!.points.map(([start]) => ({ start: new Date(start), end: new Date(new Date(start).getTime() + 86_400_000) }));
    for (const [i, name] of names.entries()) expect([name, series[i]!.points.map(([, v]) => v)]).toEqual([name, await computeBuckets(org.id, metric(name), buckets)]);
    // Bucket edges: 2 March 00:00 counts before the first bucket, 5 March 00:00 in (4 March, 5 March].
    expect(series[1]!.points.map(([, v]) => v)).toEqual([4, 5, 6, 6]);
    const ivrOnly = await readSeries(org.id, [metric('registrations.created.sum'), metric('registrations.created.total.last')], { ...range, sourceIds: [ivr.source.id] });
    expect(ivrOnly.map((s) => s.points.map(([, v]) => v))).toEqual([[1, 0, 1, 0], [2, 2, 3, 3]]);
  });

  it('11: retentions 30s:1m give two buckets per metric, forwarded at their midpoints', async () => {
    const pairs = parseRetentions('30s:1m')!;
    const now = new Date('2020-01-01T00:01:00Z');
    expect(retentionBuckets(pairs, now).map((b) => [b.start.toISOString(), b.end.toISOString()])).toEqual([
      ['2020-01-01T00:00:00.000Z', '2020-01-01T00:00:30.000Z'], ['2020-01-01T00:00:30.000Z', '2020-01-01T00:01:00.000Z'],
    ]);
    expect(retentionBuckets(parseRetentions('1m:2m,5m:10m')!, now)).toHaveLength(2 + 2);

    const lines: string[] = [];
    const carbon = net.createServer((socket) => socket.on('data', (d) => lines.push(...d.toString().trim().split('\n'))));
    await new Promise<void>((resolve) => carbon.listen(0, '127.0.0.1', resolve));
    const { org } = await buildSource();
    await saveConfig(org.id, { adapters: { sinks: [{ kind: 'graphite', host: '127.0.0.1', port: (carbon.address() as net.AddressInfo).port }] } });
    const started = await startRecompute(org.id, { names: ['registrations.created.sum', 'registrations.created.total.last'], retentions: '30s:1m', forward: true });
    const before = Date.now();
    await drainQueue('registrations');
    await expect.poll(() => lines.length, { timeout: 5000 }).toBe(4);
    carbon.close();
    const stamps = lines.map((l) => Number(l.split(' ')[2]));
    for (const stamp of stamps) expect(Math.abs(stamp * 1000 - (before - 45_000)) < 20_000 || Math.abs(stamp * 1000 - (before - 15_000)) < 20_000).toBe(true);
    expect(new Set(stamps).size).toBe(2);
    const run = await orgDb(org.id).metricJobRun.findFirstOrThrow({ where: { id: (started as { jobId: string }).jobId } });
    expect(run.summary).toMatchObject({ written: 4, evaluations: 4 });
  });

  it('refuses unknown metric names', async () => {
    const { org } = await buildSource();
    expect(await startRecompute(org.id, { names: ['registrations.nope.sum'], forward: false })).toMatchObject({ error: 'unknown_metric' });
  });
});
