import { describe, expect, it } from 'vitest';
import { redis } from '../../src/db/redis.js';
import { sweepFollowups } from '../../src/jobs/tasks/SweepFollowupsTask.js';
import { followupInbox } from '../../src/registrations/followupInbox.js';
import { metricKeys } from '../../src/registrations/metrics/keys.js';
import { tryWithMetricsLock } from '../../src/registrations/metrics/lock.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { buildSource, drainSlots, MOTHER, prebirthData } from './support.js';

const MINUTE = 60_000;

describe('lost follow-ups (spec §6)', () => {
  it('queues again the valid registrations left pending with nothing queued, and no others', async () => {
    const { org, source } = await buildSource();
    const now = Date.now();
    const row = (minutesAgo: number, extra: Record<string, unknown> = {}) => orgDb(org.id).registration.create({
      data: {
        orgId: org.id, sourceId: source.id, stage: 'prebirth', motherId: MOTHER, data: prebirthData({ msg_receiver: 'mother_only', receiver_id: MOTHER }) as object,
        validationStatus: 'valid', regType: 'hw_pre', pregWeek: 28, followupStatus: 'pending', createdBy: 't', updatedBy: 't', createdAt: new Date(now - minutesAgo * MINUTE), ...extra,
      },
    });
    const [lost, inClaim, inInbox] = [await row(20), await row(20), await row(20)];
    await row(2);
    await row(20, { followupStatus: 'done' });
    await row(20, { validationStatus: 'invalid', followupStatus: null });
    await followupInbox.add(org.id, [inClaim.id]);
    expect(await followupInbox.claim(org.id, 'a-running-job')).toEqual([inClaim.id]);
    await followupInbox.add(org.id, [inInbox.id]);

    expect(await sweepFollowups(org.id, now)).toEqual([lost.id]);
    await drainSlots('registrations');
    const states = await orgDb(org.id).registration.findMany({ where: { id: { in: [lost.id, inClaim.id, inInbox.id] } }, select: { id: true, followupStatus: true } });
    expect(Object.fromEntries(states.map((s) => [s.id, s.followupStatus]))).toEqual({ [lost.id]: 'done', [inInbox.id]: 'done', [inClaim.id]: 'pending' });
    expect(await orgDb(org.id).subscriptionRequest.count({ where: { registrationId: lost.id } })).toBe(1);
    // The next sweep starts where this one ended: nothing is lost any more.
    expect(await sweepFollowups(org.id, now + 5 * MINUTE)).toEqual([]);
  });
});

describe('the metrics lock (spec §8.5 step 3)', () => {
  it('stays held while long work runs past its lifetime, and is released after', async () => {
    const { org } = await buildSource();
    const ttl = 300;
    let during: boolean | null = null;
    const held = await tryWithMetricsLock(org.id, async () => {
      await new Promise((resolve) => setTimeout(resolve, ttl * 3));
      during = (await tryWithMetricsLock(org.id, async () => true, 0, ttl)).locked;
      return 'done';
    }, 0, ttl);
    expect(held).toEqual({ locked: true, value: 'done' });
    expect(during).toBe(false);
    expect(await redis().exists(metricKeys.lock(org.id))).toBe(0);
    expect(await tryWithMetricsLock(org.id, async () => 1, 0, ttl)).toEqual({ locked: true, value: 1 });
  });
});
