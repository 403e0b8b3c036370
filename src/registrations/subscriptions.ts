import type { RegistrationConfig } from './config.js';
import type { MessagingService } from './adapters/types.js';

/** A resolved subscription to request: who, which messageset, where to start. */
export interface PlannedSubscription {
  identity: string;
  shortName: string;
  messagesetId: number;
  scheduleId: number;
  nextSequenceNumber: number;
  lang: string;
  metadata: Record<string, unknown>;
}

/**
 * The next sequence number of a subscription (spec §6 step 2).
 * @param track the messageset's track (prebirth, postbirth, public, miscarriage).
 * @param range the messageset's week range (e.g. 13_52).
 * @param weeks the weeks of pregnancy or the baby's age (null for public).
 * @param rate messages per week.
 * @param prebirthMin the org's minimum pregnancy week.
 * @returns the number (at least 1).
 */
export function nextSequenceNumber(track: string, range: string, weeks: number | null, rate: number, prebirthMin: number): number {
  if (track === 'public' || track === 'miscarriage' || weeks === null) return 1;
  const n = track === 'prebirth' ? rate * (weeks - prebirthMin) : range === '13_52' ? rate * (weeks - 13) : rate * weeks;
  return Math.max(1, n);
}

/** The part of the messaging service that planning reads: messagesets and their schedules. */
export type MessagesetCatalogue = Pick<MessagingService, 'findMessagesetByShortName' | 'getSchedule'>;

/**
 * Remembers the messagesets and schedules a batch looks up, so that a batch asks the messaging
 * service once per messageset rather than once per registration.
 * @param messaging the messaging adapter.
 * @returns the same look-ups, each made once.
 */
export function cachedCatalogue(messaging: MessagesetCatalogue): MessagesetCatalogue {
  const sets = new Map<string, ReturnType<MessagesetCatalogue['findMessagesetByShortName']>>();
  const schedules = new Map<number, ReturnType<MessagesetCatalogue['getSchedule']>>();
  return {
    findMessagesetByShortName: (shortName) => sets.get(shortName) ?? sets.set(shortName, messaging.findMessagesetByShortName(shortName)).get(shortName)!,
    getSchedule: (id) => schedules.get(id) ?? schedules.set(id, messaging.getSchedule(id)).get(id)!,
  };
}

/**
 * Resolves a messageset by short name and works out where the identity starts.
 * @param messaging the messaging adapter (or a cached catalogue of it).
 * @param input identity, short name, weeks, language and metadata.
 * @param config the org's configuration.
 * @returns the plan.
 * @throws Error when the messageset does not exist (the job retries, then records the failure).
 */
export async function planSubscription(
  messaging: MessagesetCatalogue,
  input: { identity: string; shortName: string; weeks: number | null; lang: string; metadata?: Record<string, unknown>; sequence?: number },
  config: RegistrationConfig,
): Promise<PlannedSubscription> {
  const messageset = await messaging.findMessagesetByShortName(input.shortName);
  if (!messageset) throw new Error(`messageset ${input.shortName} not found`);
  const schedule = await messaging.getSchedule(messageset.default_schedule);
  const [track = '', , , range = ''] = input.shortName.split('.');
  return {
    identity: input.identity,
    shortName: input.shortName,
    messagesetId: messageset.id,
    scheduleId: messageset.default_schedule,
    nextSequenceNumber: input.sequence ?? nextSequenceNumber(track, range, input.weeks, schedule.daysOfWeek.length, config.prebirthWeeks.min),
    lang: input.lang,
    metadata: input.metadata ?? {},
  };
}

/**
 * The mother's messageset short name (spec §6 step 2).
 * @param track prebirth, postbirth, public or miscarriage.
 * @param weeks the weeks (postbirth picks 0_12 or 13_52).
 * @param msgType text or audio.
 * @param voiceDays e.g. mon_wed (audio only).
 * @param voiceTimes e.g. 9_11 (audio only).
 * @returns the short name.
 */
export function motherShortName(track: string, weeks: number | null, msgType: string, voiceDays?: unknown, voiceTimes?: unknown): string {
  const range = track === 'prebirth' ? '10_42' : track === 'postbirth' ? ((weeks ?? 0) <= 12 ? '0_12' : '13_52') : track === 'public' ? '0_4' : '0_2';
  const base = `${track}.mother.${msgType}.${range}`;
  return msgType === 'audio' ? `${base}.${String(voiceDays || 'mon_wed')}.${String(voiceTimes || '9_11')}` : base;
}

/**
 * The household's messageset short name (spec §6 step 3): always audio.
 * @param track prebirth, postbirth or public.
 * @returns the short name.
 */
export function householdShortName(track: string): string {
  if (track === 'public') return 'public.household.audio.0_4.tue.6_8';
  return `${track}.household.audio.${track === 'postbirth' ? '0_52' : '10_42'}.fri.9_11`;
}
