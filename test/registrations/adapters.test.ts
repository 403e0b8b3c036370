import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChange } from '../../src/registrations/commands/changeCreator.js';
import { createRegistration } from '../../src/registrations/commands/registrationCreator.js';
import { saveConfig, sealSecret } from '../../src/registrations/config.js';
import { startFakeSeedServices, type FakeSeedServices } from '../../src/registrations/fakes/seedServices.js';
import { switchedSequence } from '../../src/registrations/changeApplier.js';
import { nextSequenceNumber } from '../../src/registrations/subscriptions.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { buildSource, drainSlots, FRIEND, MOTHER, prebirthData, weeksAgo } from './support.js';

let fake: FakeSeedServices;
beforeAll(async () => {
  fake = await startFakeSeedServices({ token: 'seed-token' });
});
afterAll(() => fake.close());

describe('follow-up and changes (spec §6, §7)', () => {
  it('works out sequence numbers as the spec’s examples', () => {
    expect([15, 30, 40].map((w) => nextSequenceNumber('prebirth', '10_42', w, 3, 10))).toEqual([15, 60, 90]);
    expect(nextSequenceNumber('prebirth', '10_42', 15, 2, 10)).toBe(10);
    expect([15, 30, 40].map((w) => nextSequenceNumber('prebirth', '10_42', w, 1, 10))).toEqual([5, 20, 30]);
    expect(nextSequenceNumber('public', '0_4', null, 3, 10)).toBe(1);
    expect([switchedSequence(54, false, 3, 2), switchedSequence(36, false, 2, 3), switchedSequence(7, true, 3, 2)]).toEqual([36, 54, 7]);
  });

  it('subscribes mother and household through the local adapters and logs the welcome message', async () => {
    const { org, source } = await buildSource();
    const row = await createRegistration(org.id, source, { stage: 'prebirth', motherId: MOTHER, data: prebirthData({ last_period_date: weeksAgo(30) }) }, 'test');
    await drainSlots('registrations');
    const requests = await orgDb(org.id).subscriptionRequest.findMany({ where: { registrationId: row.id }, orderBy: { identity: 'asc' } });
    expect(requests.map((r) => [r.identity, r.messagesetShortName, r.nextSequenceNumber, r.deliveryStatus])).toEqual([
      [FRIEND, 'prebirth.household.audio.10_42.fri.9_11', 20, 'delivered'],
      [MOTHER, 'prebirth.mother.text.10_42', 60, 'delivered'],
    ]);
    const subscriptions = await orgDb(org.id).subscription.findMany({ where: { active: true }, orderBy: { identity: 'asc' } });
    expect(subscriptions.map((s) => [s.identity, s.messagesetShortName, s.nextSequenceNumber, s.lang])).toEqual(requests.map((r) => [r.identity, r.messagesetShortName, r.nextSequenceNumber, r.lang]));
    expect(await orgDb(org.id).outboundMessage.findMany({ select: { toIdentity: true, content: true, adapter: true } })).toEqual([{ toIdentity: FRIEND, content: 'Welcome to HelloMama!', adapter: 'local' }]);
    expect((await orgDb(org.id).registration.findFirstOrThrow({ where: { id: row.id } })).followupStatus).toBe('done');

    await createChange(org.id, { motherId: MOTHER, action: 'change_language', data: { new_language: 'hau_NG' } }, 'test', null);
    await drainSlots('registrations');
    expect((await orgDb(org.id).subscription.findMany({ where: { identity: MOTHER } })).map((s) => s.lang)).toEqual(['hau_NG']);
  });

  it('talks to the seed services over HTTP when the org chooses them', async () => {
    const { org, source } = await buildSource();
    const http = { kind: 'http' as const, url: `${fake.url}/`, tokenSealed: sealSecret('seed-token') };
    await saveConfig(org.id, { adapters: { identityStore: http, messaging: http, sender: http, sinks: [] } });
    fake.state.identities.set(MOTHER, { id: MOTHER, details: { addresses: { msisdn: { '+2348000000001': { default: true } } } }, communicate_through: null });
    const row = await createRegistration(org.id, source, { stage: 'prebirth', motherId: MOTHER, data: prebirthData({ last_period_date: weeksAgo(15), msg_receiver: 'mother_only', receiver_id: MOTHER }) }, 'test');
    await drainSlots('registrations');
    const subs = [...fake.state.subscriptions.values()].filter((s) => s.identity === MOTHER);
    expect(subs.map((s) => [s.messageset_short_name, s.next_sequence_number])).toContainEqual(['prebirth.mother.text.10_42', 15]);
    expect(fake.state.outbound).toContainEqual({ to_identity: MOTHER, to_addr: '+2348000000001', content: 'Welcome to HelloMama!', metadata: { registration: row.id } });
    expect(await orgDb(org.id).outboundMessage.count({ where: { adapter: 'http' } })).toBe(1);
    expect(fake.state.log.every((r) => r.authorization === 'Token seed-token')).toBe(true);

    fake.state.failing.push('/subscriptions/');
    const failing = await createRegistration(org.id, source, { stage: 'prebirth', motherId: MOTHER, data: prebirthData({ last_period_date: weeksAgo(15), msg_receiver: 'mother_only', receiver_id: MOTHER }) }, 'test');
    await drainSlots('registrations').catch(() => undefined);
    fake.state.failing.length = 0;
    const stored = await orgDb(org.id).registration.findFirstOrThrow({ where: { id: failing.id } });
    expect(stored.followupStatus).toBe('failed');
    expect(stored.followupError).toContain('answered 500');
  });
});
