import { orgDb } from '../tenancy/orgDb.js';
import { adaptersFor, type Adapters } from './adapters/index.js';
import { loadConfig, type RegistrationConfig } from './config.js';
import { deliverSubscriptionRequests } from './delivery.js';
import { motherShortName, planSubscription, type PlannedSubscription } from './subscriptions.js';

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

async function stopAll(adapters: Adapters, identity: string) {
  const active = await adapters.messaging.listSubscriptions({ identity, active: true });
  for (const s of active) await adapters.messaging.updateSubscription(s.id, { active: false });
  return active;
}

/**
 * Scales a sequence number when the content type changes (spec §7): kept when the type stays,
 * otherwise multiplied by new rate ÷ old rate, truncated, at least 1.
 * @param current the current sequence number.
 * @param sameType whether the content type stays the same.
 * @param oldRate messages per week before.
 * @param newRate messages per week after.
 * @returns the new sequence number.
 */
export function switchedSequence(current: number, sameType: boolean, oldRate: number, newRate: number): number {
  return sameType ? current : Math.max(1, Math.trunc((current * newRate) / oldRate));
}

async function plans(orgId: number, change: { id: string; motherId: string; action: string; data: Record<string, unknown> }, adapters: Adapters, config: RegistrationConfig): Promise<PlannedSubscription[]> {
  const { messaging, identityStore } = adapters;
  const data = change.data;
  const latest = (stage: string) => orgDb(orgId).registration.findFirst({ where: { motherId: change.motherId, stage }, orderBy: { createdAt: 'desc' } });
  switch (change.action) {
    case 'change_language': {
      const lang = str(data.new_language);
      if (!lang) throw new Error('new_language is required');
      for (const identity of [change.motherId, str(data.household_id)].filter(Boolean) as string[]) {
        for (const s of await messaging.listSubscriptions({ identity, active: true })) await messaging.updateSubscription(s.id, { lang });
      }
      return [];
    }
    case 'change_messaging': {
      const [current] = await messaging.listSubscriptions({ identity: change.motherId, active: true, messagesetContains: 'mother' });
      if (!current) throw new Error('the mother has no active subscription');
      const oldSet = await messaging.getMessageset(current.messageset);
      const oldShort = current.messageset_short_name ?? oldSet?.short_name ?? '';
      const [track = 'prebirth', , , range = ''] = oldShort.split('.');
      const msgType = str(data.msg_type) ?? 'text';
      const shortName = str(data.new_short_name) ?? (msgType === 'audio' ? `${track}.mother.audio.${range}.${str(data.voice_days) ?? 'mon_wed'}.${str(data.voice_times) ?? '9_11'}` : `${track}.mother.text.${range}`);
      const target = await messaging.findMessagesetByShortName(shortName);
      if (!target) throw new Error(`messageset ${shortName} not found`);
      const [oldRate, newRate] = [(await messaging.getSchedule(current.schedule)).daysOfWeek.length || 1, (await messaging.getSchedule(target.default_schedule)).daysOfWeek.length];
      const sequence = switchedSequence(current.next_sequence_number, oldSet?.content_type === target.content_type, oldRate, newRate);
      await messaging.updateSubscription(current.id, { active: false });
      return [await planSubscription(messaging, { identity: change.motherId, shortName, weeks: null, lang: str(data.new_language) ?? current.lang, sequence }, config)];
    }
    case 'change_baby':
    case 'change_loss': {
      const mother = await identityStore.getIdentity(change.motherId);
      const details = mother?.details ?? {};
      const msgType = str(details.preferred_msg_type) ?? 'text';
      const lang = str(details.preferred_language) ?? config.languages[0] ?? 'eng_NG';
      await stopAll(adapters, change.motherId);
      const prebirth = await latest('prebirth');
      const household = str(details.linked_to) ?? (prebirth?.receiverId && prebirth.receiverId !== change.motherId ? prebirth.receiverId : undefined);
      const track = change.action === 'change_baby' ? 'postbirth' : 'miscarriage';
      const result = [await planSubscription(messaging, {
        identity: change.motherId, shortName: motherShortName(track, 0, msgType, details.preferred_msg_days, details.preferred_msg_times), weeks: 0, lang, sequence: 1,
      }, config)];
      if (household && change.action === 'change_baby') {
        await stopAll(adapters, household);
        result.push(await planSubscription(messaging, { identity: household, shortName: 'postbirth.household.audio.0_52.fri.9_11', weeks: 0, lang, sequence: 1 }, config));
      }
      if (household && change.action === 'change_loss') await stopAll(adapters, household);
      return result;
    }
    case 'unsubscribe_mother_only':
    case 'unsubscribe_household_only': {
      const identity = change.action === 'unsubscribe_mother_only' ? change.motherId : str(data.household_id);
      if (!identity) throw new Error('household_id is required');
      await stopAll(adapters, identity);
      const address = await identityStore.getDefaultAddress(identity, 'msisdn');
      await identityStore.createOptout({ identity, reason: str(data.reason) ?? 'other', addressType: 'msisdn', address: address ?? undefined, requestSource: 'tracpro_change', optoutType: 'stop' });
      return [];
    }
    default:
      throw new Error(`unknown action ${change.action}`);
  }
}

/**
 * Applies a change request (spec §7) through the org's adapters and records `applied` or `failed`.
 * Subscription requests it produces are stored with the change id and handed off.
 * @param orgId the org.
 * @param changeId the change.
 * @returns the status, or null when there is nothing to do.
 */
export async function applyChange(orgId: number, changeId: string): Promise<string | null> {
  const scoped = orgDb(orgId);
  const change = await scoped.registrationChange.findFirst({ where: { id: changeId } });
  if (!change || change.status === 'applied') return null;
  const config = await loadConfig(orgId);
  const adapters = adaptersFor(orgId, config);
  try {
    let requests = await scoped.subscriptionRequest.findMany({ where: { changeId } });
    if (!requests.length) {
      const planned = await plans(orgId, { ...change, data: change.data as Record<string, unknown> }, adapters, config);
      requests = await scoped.subscriptionRequest.createManyAndReturn({
        data: planned.map((p) => ({
          orgId, changeId, identity: p.identity, messagesetId: p.messagesetId, messagesetShortName: p.shortName,
          nextSequenceNumber: p.nextSequenceNumber, lang: p.lang, scheduleId: p.scheduleId, metadata: p.metadata as object,
        })),
      });
    }
    const undelivered = await deliverSubscriptionRequests(orgId, adapters, requests);
    if (undelivered.size) throw new Error(`a subscription request was not delivered: ${[...undelivered.values()][0]}`);
    await scoped.registrationChange.updateMany({ where: { id: changeId }, data: { status: 'applied', error: null } });
    return 'applied';
  } catch (error) {
    await scoped.registrationChange.updateMany({ where: { id: changeId }, data: { status: 'failed', error: (error as Error).message.slice(0, 500) } });
    throw error;
  }
}
