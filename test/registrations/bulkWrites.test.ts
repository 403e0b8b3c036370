import { describe, expect, it } from 'vitest';
import { insertOutboundMessages, insertRegistrations, insertSubscriptionRequests, insertSubscriptions } from '../../src/db/registrations.js';
import type { Registration } from '../../src/generated/prisma/client.js';
import { hourlyPoints, LIVE_BUCKET_SECONDS, LocalSink } from '../../src/registrations/adapters/sinks.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { buildSource, MOTHER, prebirthData } from './support.js';

describe('intake bulk writes (src/db modules)', () => {
  it('stores a batch of registrations in its org only, exactly as returned', async () => {
    const { org, source } = await buildSource();
    const other = await buildSource();
    const now = new Date('2026-01-05T10:00:00.123Z');
    const row = {
      id: '3f0c7a52-1d2e-4b7a-9c1f-5a6b7c8d9e0f', sourceId: source.id, stage: 'prebirth', motherId: MOTHER, data: prebirthData({ note: 'it\'s "quoted"' }) as Registration['data'],
      validationStatus: 'invalid', regType: null, pregWeek: null, babyAge: null, invalidReasons: ['language', 'msg_type'], operatorId: null,
      receiverId: 'r', msgType: 'text', msgReceiver: 'friend_only', language: 'eng_NG', operatorCheckedAt: now, followupStatus: null, createdBy: 'source:x', createdAt: now,
    };
    const [returned] = await insertRegistrations(org.id, [row, { ...row, id: '4f0c7a52-1d2e-4b7a-9c1f-5a6b7c8d9e0f', invalidReasons: [] }]);
    const stored = await orgDb(org.id).registration.findFirstOrThrow({ where: { id: row.id } });
    expect(stored).toEqual(returned);
    expect(await orgDb(org.id).registration.count()).toBe(2);
    expect(await orgDb(other.org.id).registration.count()).toBe(0);
    expect((await orgDb(org.id).registration.findFirstOrThrow({ where: { id: '4f0c7a52-1d2e-4b7a-9c1f-5a6b7c8d9e0f' } })).invalidReasons).toEqual([]);
  });

  it('local sink: sums add up, totals keep the highest value, recompute buckets and other orgs are left alone', async () => {
    const { org } = await buildSource();
    const other = await buildSource();
    const at = new Date('2026-01-05T10:20:00Z');
    const bucketStart = new Date('2026-01-05T10:00:00Z');
    await orgDb(org.id).metricPoint.create({ data: { orgId: org.id, name: 'registrations.language.eng_NG.sum', bucketStart, bucketSeconds: LIVE_BUCKET_SECONDS, value: 7, origin: 'recompute' } });
    await orgDb(other.org.id).metricPoint.create({ data: { orgId: other.org.id, name: 'registrations.created.sum', bucketStart, bucketSeconds: LIVE_BUCKET_SECONDS, value: 100, origin: 'live' } });
    const sink = new LocalSink(org.id);
    const send = (name: string, values: number[]) => sink.send(values.map((value) => ({ name, value, timestamp: at })));
    await send('registrations.created.sum', [1, 1]);
    await send('registrations.created.sum', [1]);
    await send('registrations.created.total.last', [4, 5]);
    await send('registrations.created.total.last', [3]);
    await send('registrations.language.eng_NG.sum', [1]);
    const value = async (orgId: number, name: string) => (await orgDb(orgId).metricPoint.findFirstOrThrow({ where: { name, bucketStart } })).value;
    expect(await value(org.id, 'registrations.created.sum')).toBe(3);
    expect(await value(org.id, 'registrations.created.total.last')).toBe(5);
    expect(await value(org.id, 'registrations.language.eng_NG.sum')).toBe(7);
    expect(await value(other.org.id, 'registrations.created.sum')).toBe(100);
  });

  it('stores a batch of subscription requests, subscriptions and outbound messages in their org only', async () => {
    const { org } = await buildSource();
    const other = await buildSource();
    const plan = { identity: MOTHER, messagesetId: 7, messagesetShortName: 'prebirth.mother.text.10_42', nextSequenceNumber: 30, lang: 'eng_NG', scheduleId: 42, metadata: { note: 'it\'s "quoted"' } };
    const [returned] = await insertSubscriptionRequests(org.id, [{ ...plan, registrationId: null, changeId: null }, { ...plan, registrationId: null, changeId: null, identity: 'x' }]);
    expect(await orgDb(org.id).subscriptionRequest.findFirstOrThrow({ where: { id: returned!.id } })).toEqual(returned);
    await insertSubscriptions(org.id, [plan, plan]);
    expect(await orgDb(org.id).subscription.findMany({ select: { identity: true, active: true, completed: true, metadata: true } })).toEqual([
      { identity: MOTHER, active: true, completed: false, metadata: plan.metadata }, { identity: MOTHER, active: true, completed: false, metadata: plan.metadata },
    ]);
    await insertOutboundMessages(org.id, [{ toIdentity: MOTHER, toAddr: null, content: 'Welcome', metadata: {}, adapter: 'local', status: 'logged' }]);
    expect(await orgDb(org.id).outboundMessage.findMany({ select: { toIdentity: true, content: true, status: true } })).toEqual([{ toIdentity: MOTHER, content: 'Welcome', status: 'logged' }]);
    expect([await orgDb(other.org.id).subscriptionRequest.count(), await orgDb(other.org.id).subscription.count(), await orgDb(other.org.id).outboundMessage.count()]).toEqual([0, 0, 0]);
  });

  it('folds points into one per metric and hour before they are queued for the local sink', () => {
    const hour = Date.parse('2026-01-05T10:00:00Z');
    const points: [string, number, number][] = [
      ['registrations.created.sum', 1, hour + 5_000], ['registrations.created.total.last', 41, hour + 5_000],
      ['registrations.created.sum', 1, hour + 9_000], ['registrations.created.total.last', 42, hour + 9_000],
      ['registrations.created.sum', 1, hour + 3_600_000], ['registrations.created.total.last', 43, hour + 3_600_000],
    ];
    expect(hourlyPoints(points)).toEqual([
      ['registrations.created.sum', 2, hour], ['registrations.created.total.last', 42, hour],
      ['registrations.created.sum', 1, hour + 3_600_000], ['registrations.created.total.last', 43, hour + 3_600_000],
    ]);
  });
});
