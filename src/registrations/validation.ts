import type { RegistrationConfig } from './config.js';
import { babyAgeWeeks, parseCompactDate, pregnancyWeeks, todayIn } from './weeks.js';

export const STAGES = ['prebirth', 'postbirth', 'loss', 'public'] as const;
export type Stage = (typeof STAGES)[number];
export const AUTHORITIES = ['patient', 'advisor', 'hw_limited', 'hw_full'] as const;
export type Authority = (typeof AUTHORITIES)[number];

/** The stage profiles of spec §5.3 step 3. */
const PROFILES: Record<Stage, { authorities: readonly Authority[] | 'any'; keys: string[]; regType: string }> = {
  prebirth: { authorities: ['hw_limited', 'hw_full'], keys: ['receiver_id', 'operator_id', 'language', 'msg_type', 'last_period_date', 'msg_receiver'], regType: 'hw_pre' },
  postbirth: { authorities: ['hw_limited', 'hw_full'], keys: ['receiver_id', 'operator_id', 'language', 'msg_type', 'baby_dob', 'msg_receiver'], regType: 'hw_post' },
  loss: { authorities: ['patient', 'advisor'], keys: ['receiver_id', 'operator_id', 'language', 'msg_type', 'loss_reason'], regType: 'pbl_loss' },
  public: { authorities: 'any', keys: ['receiver_id', 'operator_id', 'language', 'msg_type'], regType: 'public' },
};

/** What validation decides about a registration. */
export interface ValidationOutcome {
  valid: boolean;
  regType: string | null;
  pregWeek: number | null;
  babyAge: number | null;
  /** Reason codes (spec §5.4), sorted; empty when valid. */
  reasons: string[];
}

/**
 * Tells whether a value is "UUID-shaped" (spec §5.2): 36 characters, the 15th is 4, the 20th one of 8, 9, a, b.
 * @param value the candidate.
 * @returns true when UUID-shaped.
 */
export function isUuidShaped(value: unknown): boolean {
  return typeof value === 'string' && value.length === 36 && value[14] === '4' && '89ab'.includes(value[19]!);
}

const invalid = (reasons: string[]): ValidationOutcome => ({ valid: false, regType: null, pregWeek: null, babyAge: null, reasons });

/**
 * Validates a registration against the domain rules of spec §5.3. A pure function: no I/O.
 * @param input the registration's stage, mother id and data, and the submitting source's authority.
 * @param config the org's configuration.
 * @param now the current instant ("today" is taken in the org's time zone).
 * @returns the outcome.
 */
export function validateRegistration(
  input: { stage: Stage; motherId: string; data: unknown; authority: Authority },
  config: RegistrationConfig,
  now: Date,
): ValidationOutcome {
  const data = input.data !== null && typeof input.data === 'object' && !Array.isArray(input.data) ? (input.data as Record<string, unknown>) : {};
  if (!isUuidShaped(input.motherId)) return invalid(['invalid_mother_id']);

  if ('msg_receiver' in data && 'receiver_id' in data) {
    if (config.householdOnlyReceivers.includes(data.msg_receiver as string) && data.receiver_id === input.motherId) return invalid(['mother_requires_own_id']);
    if (data.msg_receiver === 'mother_only' && data.receiver_id !== input.motherId) return invalid(['receiver_must_be_mother']);
  }

  const profile = PROFILES[input.stage];
  const allowed = profile.authorities === 'any' || profile.authorities.includes(input.authority);
  if (!allowed || profile.keys.some((key) => !(key in data))) return invalid(['invalid_field_combination']);

  const today = todayIn(now, config.timezone);
  const failures: string[] = [];
  let pregWeek: number | null = null;
  let babyAge: number | null = null;
  const inList = (list: string[], value: unknown) => typeof value === 'string' && list.includes(value);
  for (const key of profile.keys) {
    const value = data[key];
    switch (key) {
      case 'receiver_id':
      case 'operator_id':
        if (!isUuidShaped(value)) failures.push(key);
        break;
      case 'language':
        if (!inList(config.languages, value)) failures.push(key);
        break;
      case 'msg_type':
        if (!inList(config.msgTypes, value)) failures.push(key);
        break;
      case 'msg_receiver':
        if (!inList(config.receiverTypes, value)) failures.push(key);
        break;
      case 'loss_reason':
        if (!inList(config.lossReasons, value)) failures.push(key);
        break;
      case 'last_period_date': {
        const date = parseCompactDate(value);
        if (!date) failures.push(key);
        else {
          pregWeek = pregnancyWeeks(date, today);
          if (pregWeek < config.prebirthWeeks.min || pregWeek > config.prebirthWeeks.max) failures.push('last_period_date_out_of_range');
        }
        break;
      }
      case 'baby_dob': {
        const date = parseCompactDate(value);
        if (!date) failures.push(key);
        else {
          babyAge = babyAgeWeeks(date, today);
          if (babyAge < config.postbirthWeeks.min || babyAge > config.postbirthWeeks.max) failures.push('baby_dob_out_of_range');
        }
        break;
      }
    }
  }
  if (failures.length) return invalid(failures.sort());
  return {
    valid: true,
    regType: profile.regType,
    pregWeek: input.stage === 'prebirth' ? pregWeek : null,
    babyAge: input.stage === 'postbirth' ? babyAge : null,
    reasons: [],
  };
}

const LEGACY_TEXT: Record<string, string> = {
  invalid_mother_id: 'Invalid UUID mother_id',
  mother_requires_own_id: 'mother requires own id',
  receiver_must_be_mother: 'mother_id should be the same as receiver_id',
  invalid_field_combination: 'Invalid combination of fields',
};

/**
 * The legacy `data.invalid_fields` representation of reason codes (spec §5.4), for exports.
 * @param reasons the reason codes.
 * @returns one legacy string, or a list of field names.
 */
export function legacyInvalidFields(reasons: string[]): string | string[] {
  if (reasons.length === 1 && LEGACY_TEXT[reasons[0]!]) return LEGACY_TEXT[reasons[0]!]!;
  return reasons.map((r) => r.replace(/_out_of_range$/, ' out of range'));
}
