import { insertSubscriptionRequests, type NewSubscriptionRequest } from '../db/registrations.js';
import type { Registration, SubscriptionRequest } from '../generated/prisma/client.js';
import { orgDb } from '../tenancy/orgDb.js';
import { adaptersFor, type Adapters } from './adapters/index.js';
import { LocalMessaging } from './adapters/messaging.js';
import { loadConfig, type RegistrationConfig } from './config.js';
import { deliverSubscriptionRequests } from './delivery.js';
import { cachedCatalogue, householdShortName, motherShortName, planSubscription, type MessagesetCatalogue, type PlannedSubscription } from './subscriptions.js';
import { sendWelcomes } from './welcome.js';

const TRACK: Record<string, string> = { prebirth: 'prebirth', postbirth: 'postbirth', public: 'public', loss: 'miscarriage' };

/** The outcome of a batch of follow-ups. */
export interface FollowupOutcome {
  /** Registrations followed up now. */
  done: number;
  /** Registration id → why its follow-up failed (it stays retryable). */
  failed: Map<string, string>;
}

function byRegistration(requests: SubscriptionRequest[], into = new Map<string, SubscriptionRequest[]>()) {
  for (const r of requests) into.set(r.registrationId!, [...(into.get(r.registrationId!) ?? []), r]);
  return into;
}

/**
 * The household whose public subscriptions each mother's conversion also closes (spec §6 step 1):
 * the receiver of her most recent valid public registration, when it is not herself.
 */
async function publicHouseholds(orgId: number, rows: Registration[]): Promise<Map<string, string>> {
  const mothers = [...new Set(rows.filter((r) => r.stage !== 'public').map((r) => r.motherId))];
  const households = new Map<string, string>();
  if (!mothers.length) return households;
  const publics = await orgDb(orgId).registration.findMany({
    where: { motherId: { in: mothers }, stage: 'public', validationStatus: 'valid' },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { motherId: true, receiverId: true },
  });
  const seen = new Set<string>();
  for (const { motherId, receiverId } of publics) {
    if (seen.has(motherId)) continue;
    seen.add(motherId);
    if (receiverId && receiverId !== motherId) households.set(motherId, receiverId);
  }
  return households;
}

/**
 * Splits a batch (oldest first) into parts that can each close public subscriptions first and
 * subscribe after, with the outcome of following up one by one: a part ends before a registration
 * whose closing would reach an identity a public registration of the same part subscribes.
 */
function parts(rows: Registration[], households: Map<string, string>): Registration[][] {
  const result: Registration[][] = [[]];
  let subscribed = new Set<string>();
  for (const r of rows) {
    if (r.stage === 'public') [r.motherId, r.receiverId].forEach((id) => id && subscribed.add(id));
    else if ([r.motherId, households.get(r.motherId)].some((id) => id && subscribed.has(id))) {
      result.push([]);
      subscribed = new Set();
    }
    result.at(-1)!.push(r);
  }
  return result.filter((p) => p.length);
}

/** Closes the public-track subscriptions of a part's converted mothers and their households (spec §6 step 1). */
async function closePublicSubscriptions(adapters: Adapters, part: Registration[], households: Map<string, string>, failed: Map<string, string>) {
  const converted = part.filter((r) => r.stage !== 'public');
  const mothers = [...new Set(converted.map((r) => r.motherId))];
  const homes = [...new Set(mothers.flatMap((m) => households.get(m) ?? []))];
  try {
    for (const [identity, contains] of [[mothers, 'public.mother'], [homes, 'public.household']] as const) {
      if (!identity.length) continue;
      const subscriptions = await adapters.messaging.listSubscriptions({ identity: [...identity], active: true, completed: false, messagesetContains: contains });
      for (const s of subscriptions) await adapters.messaging.updateSubscription(s.id, { active: false, metadata: { ...(s.metadata ?? {}), converted_full: 'true' } });
    }
  } catch (error) {
    for (const r of converted) failed.set(r.id, (error as Error).message);
  }
}

async function plan(catalogue: MessagesetCatalogue, r: Registration, config: RegistrationConfig): Promise<PlannedSubscription[]> {
  const data = r.data as Record<string, unknown>;
  const track = TRACK[r.stage]!;
  const weeks = r.stage === 'prebirth' ? r.pregWeek : r.stage === 'postbirth' ? r.babyAge : null;
  const lang = String(data.language ?? '');
  const audio = r.stage !== 'public' && typeof data.voice_days === 'string' && data.voice_days !== '';
  const msgType = audio ? 'audio' : String(data.msg_type ?? 'text');
  const motherMetadata = audio ? { prepend_next_delivery: `${config.publicAssetBaseUrl}/${lang}_welcome_mother.mp3` } : {};
  const plans = [await planSubscription(catalogue, { identity: r.motherId, shortName: motherShortName(track, weeks, msgType, data.voice_days, data.voice_times), weeks, lang, metadata: motherMetadata }, config)];
  if (data.msg_receiver !== 'mother_only' && r.stage !== 'loss' && typeof data.receiver_id === 'string') {
    plans.push(await planSubscription(catalogue, {
      identity: data.receiver_id, shortName: householdShortName(track), weeks, lang,
      metadata: { prepend_next_delivery: `${config.publicAssetBaseUrl}/${lang}_welcome_household.mp3` },
    }, config));
  }
  return plans;
}

/** Plans the subscription requests of a part's registrations and stores them in one insert (delivered too, when the messaging service is local). */
async function storePlans(orgId: number, adapters: Adapters, catalogue: MessagesetCatalogue, part: Registration[], config: RegistrationConfig, failed: Map<string, string>) {
  const rows: NewSubscriptionRequest[] = [];
  for (const r of part.filter((p) => !failed.has(p.id))) {
    try {
      rows.push(...(await plan(catalogue, r, config)).map((p) => ({
        registrationId: r.id, changeId: null, identity: p.identity, messagesetId: p.messagesetId, messagesetShortName: p.shortName,
        nextSequenceNumber: p.nextSequenceNumber, lang: p.lang, scheduleId: p.scheduleId, metadata: p.metadata as object,
      })));
    } catch (error) {
      failed.set(r.id, (error as Error).message);
    }
  }
  // The local messaging service lives in this database: its subscriptions are created with the requests.
  return insertSubscriptionRequests(orgId, rows, { deliveredLocally: adapters.messaging instanceof LocalMessaging });
}

/**
 * Runs the follow-up of a batch of valid registrations (spec §6) with set-based work: closes the
 * public-track subscriptions of the converted mothers, plans every subscription request once (one
 * insert), hands them off in one call, sends the welcomes in one call, and marks the batch done in
 * one update. A registration that fails is marked `failed` with its reason; the others go on.
 * Safe to run again: done ones are skipped, requests are planned once, and only undelivered ones
 * are handed off again.
 * @param orgId the org.
 * @param registrationIds the registrations (invalid or done ones are skipped).
 * @returns how many were done and which failed.
 */
export async function followUpRegistrations(orgId: number, registrationIds: string[]): Promise<FollowupOutcome> {
  const scoped = orgDb(orgId);
  const registrations = await scoped.registration.findMany({
    where: { id: { in: registrationIds }, validationStatus: 'valid', OR: [{ followupStatus: null }, { followupStatus: { not: 'done' } }] },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  const failed = new Map<string, string>();
  if (!registrations.length) return { done: 0, failed };
  try {
    const config = await loadConfig(orgId);
    const adapters = adaptersFor(orgId, config);
    const requests = byRegistration(await scoped.subscriptionRequest.findMany({ where: { registrationId: { in: registrations.map((r) => r.id) } }, orderBy: { createdAt: 'asc' } }));
    const planned = new Set(requests.keys());
    const fresh = registrations.filter((r) => !planned.has(r.id));
    const catalogue = cachedCatalogue(adapters.messaging);
    const households = await publicHouseholds(orgId, fresh);
    const undelivered = new Map<string, string>();
    for (const part of parts(fresh, households)) {
      await closePublicSubscriptions(adapters, part, households, failed);
      const stored = await storePlans(orgId, adapters, catalogue, part, config, failed);
      byRegistration(stored, requests);
      for (const [id, error] of await deliverSubscriptionRequests(orgId, adapters, stored)) undelivered.set(id, error);
    }
    // Registrations planned by an earlier attempt: hand off what is left.
    const earlier = registrations.filter((r) => planned.has(r.id)).flatMap((r) => requests.get(r.id)!);
    for (const [id, error] of await deliverSubscriptionRequests(orgId, adapters, earlier)) undelivered.set(id, error);
    for (const r of registrations) {
      const error = (requests.get(r.id) ?? []).map((q) => undelivered.get(q.id)).find(Boolean);
      if (error && !failed.has(r.id)) failed.set(r.id, `a subscription request was not delivered: ${error}`);
    }
    for (const [id, error] of await sendWelcomes(adapters, registrations.filter((r) => !failed.has(r.id)), config)) failed.set(id, error);
  } catch (error) {
    // Unexpected (the database, say): the whole batch is retried.
    for (const r of registrations) failed.set(r.id, (error as Error).message);
    await markFailed(orgId, failed);
    throw error;
  }
  const done = registrations.filter((r) => !failed.has(r.id)).map((r) => r.id);
  if (done.length) await scoped.registration.updateMany({ where: { id: { in: done } }, data: { followupStatus: 'done', followupError: null } });
  await markFailed(orgId, failed);
  return { done: done.length, failed };
}

async function markFailed(orgId: number, failed: Map<string, string>) {
  for (const [id, error] of failed) await orgDb(orgId).registration.updateMany({ where: { id }, data: { followupStatus: 'failed', followupError: error.slice(0, 500) } });
}
