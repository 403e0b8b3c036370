import { describe, expect, it } from 'vitest';
import { createRegistration } from '../../src/registrations/commands/registrationCreator.js';
import { followUpRegistrations } from '../../src/registrations/followup.js';
import { FOLLOWUP_BATCH, followupInbox } from '../../src/registrations/followupInbox.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { buildSource, MOTHER, prebirthData, weeksAgo } from './support.js';

describe('follow-ups in batches (spec §6)', () => {
  it('does in one batch what one by one would: a public subscription made earlier in the batch is closed by a later registration', async () => {
    const { org, source } = await buildSource();
    const t0 = Date.now();
    const publicData = { receiver_id: MOTHER, operator_id: prebirthData().operator_id, language: 'eng_NG', msg_type: 'text', msg_receiver: 'mother_only' };
    const rows = [
      await createRegistration(org.id, source, { stage: 'public', motherId: MOTHER, data: publicData }, 'test', new Date(t0)),
      await createRegistration(org.id, source, { stage: 'prebirth', motherId: MOTHER, data: prebirthData({ msg_receiver: 'mother_only', receiver_id: MOTHER, last_period_date: weeksAgo(20) }) }, 'test', new Date(t0 + 1)),
    ];
    const outcome = await followUpRegistrations(org.id, rows.map((r) => r.id));
    expect([outcome.done, outcome.failed.size]).toEqual([2, 0]);
    const subscriptions = await orgDb(org.id).subscription.findMany({ orderBy: { createdAt: 'asc' } });
    expect(subscriptions.map((s) => [s.messagesetShortName, s.active, (s.metadata as Record<string, unknown>).converted_full ?? null])).toEqual([
      ['public.mother.text.0_4', false, 'true'],
      ['prebirth.mother.text.10_42', true, null],
    ]);
    expect(await orgDb(org.id).outboundMessage.count()).toBe(2);
    // Done ones are skipped when the batch comes again.
    expect((await followUpRegistrations(org.id, rows.map((r) => r.id))).done).toBe(0);
    expect(await orgDb(org.id).subscriptionRequest.count()).toBe(2);
  });

  it('records a registration that cannot be planned as failed and follows up the rest', async () => {
    const { org, source } = await buildSource();
    const good = await createRegistration(org.id, source, { stage: 'prebirth', motherId: MOTHER, data: prebirthData({ last_period_date: weeksAgo(20) }) }, 'test');
    const bad = await createRegistration(org.id, source, { stage: 'prebirth', motherId: MOTHER, data: prebirthData({ last_period_date: weeksAgo(20) }) }, 'test');
    // A messageset name outside the local scheme cannot be resolved.
    await orgDb(org.id).registration.updateMany({ where: { id: bad.id }, data: { data: prebirthData({ msg_type: 'video' }) as object } });
    const outcome = await followUpRegistrations(org.id, [good.id, bad.id]);
    expect(outcome.done).toBe(1);
    expect(outcome.failed.get(bad.id)).toContain('messageset prebirth.mother.video.10_42 not found');
    const stored = await orgDb(org.id).registration.findMany({ select: { id: true, followupStatus: true } });
    expect(Object.fromEntries(stored.map((r) => [r.id, r.followupStatus]))).toEqual({ [good.id]: 'done', [bad.id]: 'failed' });
  });
});

describe('the follow-up inbox', () => {
  it('gives each job its own batch, the same one again on a retry, until released', async () => {
    const { org } = await buildSource();
    const ids = Array.from({ length: FOLLOWUP_BATCH + 3 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    await followupInbox.add(org.id, ids);
    const first = await followupInbox.claim(org.id, 'job-a');
    expect(first).toEqual(ids.slice(0, FOLLOWUP_BATCH));
    expect(await followupInbox.claim(org.id, 'job-a')).toEqual(first);
    expect(await followupInbox.claim(org.id, 'job-b')).toEqual(ids.slice(FOLLOWUP_BATCH));
    expect(await followupInbox.size(org.id)).toBe(0);
    await followupInbox.release(org.id, 'job-a');
    expect(await followupInbox.claim(org.id, 'job-a')).toEqual([]);
  });
});
