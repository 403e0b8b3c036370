import type { Registration, SubscriptionRequest } from '../generated/prisma/client.js';
import { orgDb } from '../tenancy/orgDb.js';
import { adaptersFor, type Adapters } from './adapters/index.js';
import { loadConfig, type RegistrationConfig } from './config.js';
import { householdShortName, motherShortName, planSubscription, type PlannedSubscription } from './subscriptions.js';

const TRACK: Record<string, string> = { prebirth: 'prebirth', postbirth: 'postbirth', public: 'public', loss: 'miscarriage' };

async function closePublicSubscriptions(orgId: number, adapters: Adapters, registration: Registration) {
  const close = async (identity: string, contains: string) => {
    const subscriptions = await adapters.messaging.listSubscriptions({ identity, active: true, completed: false, messagesetContains: contains });
    for (const s of subscriptions) await adapters.messaging.updateSubscription(s.id, { active: false, metadata: { ...(s.metadata ?? {}), converted_full: 'true' } });
  };
  await close(registration.motherId, 'public.mother');
  const lastPublic = await orgDb(orgId).registration.findFirst({
    where: { motherId: registration.motherId, stage: 'public', validationStatus: 'valid', id: { not: registration.id } },
    orderBy: { createdAt: 'desc' },
  });
  if (lastPublic?.receiverId && lastPublic.receiverId !== registration.motherId) await close(lastPublic.receiverId, 'public.household');
}

async function plan(adapters: Adapters, r: Registration, config: RegistrationConfig): Promise<PlannedSubscription[]> {
  const data = r.data as Record<string, unknown>;
  const track = TRACK[r.stage]!;
  const weeks = r.stage === 'prebirth' ? r.pregWeek : r.stage === 'postbirth' ? r.babyAge : null;
  const lang = String(data.language ?? '');
  const audio = r.stage !== 'public' && typeof data.voice_days === 'string' && data.voice_days !== '';
  const msgType = audio ? 'audio' : String(data.msg_type ?? 'text');
  const motherMetadata = audio ? { prepend_next_delivery: `${config.publicAssetBaseUrl}/${lang}_welcome_mother.mp3` } : {};
  const plans = [await planSubscription(adapters.messaging, { identity: r.motherId, shortName: motherShortName(track, weeks, msgType, data.voice_days, data.voice_times), weeks, lang, metadata: motherMetadata }, config)];
  if (data.msg_receiver !== 'mother_only' && r.stage !== 'loss' && typeof data.receiver_id === 'string') {
    plans.push(await planSubscription(adapters.messaging, {
      identity: data.receiver_id, shortName: householdShortName(track), weeks, lang,
      metadata: { prepend_next_delivery: `${config.publicAssetBaseUrl}/${lang}_welcome_household.mp3` },
    }, config));
  }
  return plans;
}

async function sendWelcome(adapters: Adapters, r: Registration, config: RegistrationConfig) {
  const data = r.data as Record<string, unknown>;
  const receiver = String(data.msg_receiver ?? '');
  const householdOnly = config.householdOnlyReceivers.includes(receiver);
  const targets: string[] = [];
  if (r.stage === 'public') {
    if (!householdOnly) targets.push(r.motherId);
    if (receiver !== 'mother_only' && typeof data.receiver_id === 'string' && data.receiver_id !== r.motherId) targets.push(data.receiver_id);
  } else if (!(typeof data.voice_days === 'string' && data.voice_days !== '')) {
    targets.push(householdOnly && typeof data.receiver_id === 'string' ? data.receiver_id : r.motherId);
  }
  for (const identity of targets) {
    const address = await adapters.identityStore.getDefaultAddress(identity, 'msisdn');
    await adapters.sender.send({ toIdentity: identity, ...(address ? { toAddr: address } : {}), content: config.welcomeText, metadata: { registration: r.id } });
  }
}

/**
 * Hands a subscription request to the messaging service and records the outcome on its row.
 * @param orgId the org.
 * @param adapters the org's adapters.
 * @param requestOrId the SubscriptionRequest, or its id.
 * @returns true when delivered.
 */
export async function deliverSubscriptionRequest(orgId: number, adapters: Adapters, requestOrId: string | SubscriptionRequest): Promise<boolean> {
  const scoped = orgDb(orgId).subscriptionRequest;
  // The caller may hand over the row it has just read or written, saving a read.
  const request = typeof requestOrId === 'string' ? await scoped.findFirst({ where: { id: requestOrId } }) : requestOrId;
  const requestId = request?.id ?? '';
  if (!request || request.deliveryStatus === 'delivered') return true;
  try {
    await adapters.messaging.submitSubscriptionRequest({
      identity: request.identity, messageset: request.messagesetId, next_sequence_number: request.nextSequenceNumber, lang: request.lang,
      schedule: request.scheduleId, metadata: request.metadata as Record<string, unknown>, ...({ messageset_short_name: request.messagesetShortName }),
    });
    await scoped.updateMany({ where: { id: requestId }, data: { deliveryStatus: 'delivered', lastError: null } });
    return true;
  } catch (error) {
    await scoped.updateMany({ where: { id: requestId }, data: { deliveryStatus: 'failed', lastError: (error as Error).message.slice(0, 500) } });
    return false;
  }
}

/**
 * Runs the follow-up of a valid registration (spec §6): closes public-track subscriptions, plans the
 * mother's (and household's) subscription requests once, hands them off, and sends the welcome.
 * Safe to run again: requests are planned once and only undelivered ones are handed off again.
 * @param orgId the org.
 * @param registrationId the registration.
 * @returns the follow-up status, or null when there is nothing to do.
 */
export async function followUpRegistration(orgId: number, registrationId: string): Promise<string | null> {
  const scoped = orgDb(orgId);
  const registration = await scoped.registration.findFirst({ where: { id: registrationId } });
  if (!registration || registration.validationStatus !== 'valid' || registration.followupStatus === 'done') return null;
  const config = await loadConfig(orgId);
  const adapters = adaptersFor(orgId, config);
  try {
    let requests = await scoped.subscriptionRequest.findMany({ where: { registrationId }, orderBy: { createdAt: 'asc' } });
    if (!requests.length) {
      if (registration.stage !== 'public') await closePublicSubscriptions(orgId, adapters, registration);
      const plans = await plan(adapters, registration, config);
      requests = await scoped.subscriptionRequest.createManyAndReturn({
        data: plans.map((p) => ({
          orgId, registrationId, identity: p.identity, messagesetId: p.messagesetId, messagesetShortName: p.shortName,
          nextSequenceNumber: p.nextSequenceNumber, lang: p.lang, scheduleId: p.scheduleId, metadata: p.metadata as object,
        })),
      });
    }
    const delivered = await Promise.all(requests.map((r) => deliverSubscriptionRequest(orgId, adapters, r)));
    if (delivered.includes(false)) throw new Error('a subscription request was not delivered');
    await sendWelcome(adapters, registration, config);
    await scoped.registration.updateMany({ where: { id: registrationId }, data: { followupStatus: 'done', followupError: null } });
    return 'done';
  } catch (error) {
    await scoped.registration.updateMany({ where: { id: registrationId }, data: { followupStatus: 'failed', followupError: (error as Error).message.slice(0, 500) } });
    throw error;
  }
}
