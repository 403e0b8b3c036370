import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/registrations/config.js';
import { legacyInvalidFields, validateRegistration, type Authority, type Stage } from '../../src/registrations/validation.js';
import { babyAgeWeeks, parseCompactDate, pregnancyWeeks } from '../../src/registrations/weeks.js';
import { FRIEND, MOTHER, prebirthData } from './support.js';

const TODAY = new Date('2015-08-17T10:00:00Z');
const check = (data: Record<string, unknown>, options: { stage?: Stage; authority?: Authority; motherId?: string } = {}) =>
  validateRegistration({ stage: options.stage ?? 'prebirth', motherId: options.motherId ?? MOTHER, data, authority: options.authority ?? 'hw_full' }, DEFAULT_CONFIG, TODAY);

describe('registration validation (spec §5, §12 examples 1–5)', () => {
  it('1: accepts a hw_full prebirth with a friend_only receiver and LMP 20150202 as hw_pre week 28', () => {
    expect(check(prebirthData())).toEqual({ valid: true, regType: 'hw_pre', pregWeek: 28, babyAge: null, reasons: [] });
  });

  it('2: refuses a household-only receiver whose id is the mother’s', () => {
    expect(check(prebirthData({ receiver_id: MOTHER })).reasons).toEqual(['mother_requires_own_id']);
  });

  it('3: refuses mother_only with a different receiver id', () => {
    expect(check(prebirthData({ msg_receiver: 'mother_only', receiver_id: FRIEND })).reasons).toEqual(['receiver_must_be_mother']);
  });

  it('4: refuses a prebirth without msg_receiver, and a prebirth from a patient source', () => {
    const { msg_receiver: _, ...without } = prebirthData();
    expect(check(without).reasons).toEqual(['invalid_field_combination']);
    expect(check(prebirthData(), { authority: 'patient' }).reasons).toEqual(['invalid_field_combination']);
  });

  it('5: collects every field failure, sorted', () => {
    expect(check(prebirthData({ last_period_date: '2015020', msg_receiver: 'trusted friend' })).reasons).toEqual(['last_period_date', 'msg_receiver']);
  });

  it('refuses a mother id that is not UUID-shaped, first', () => {
    expect(check(prebirthData(), { motherId: 'not-a-uuid' }).reasons).toEqual(['invalid_mother_id']);
  });

  it('checks ranges, loss reasons and the public profile', () => {
    expect(check(prebirthData({ last_period_date: '20150612' })).reasons).toEqual(['last_period_date_out_of_range']);
    expect(check(prebirthData({ last_period_date: '20150605' })).pregWeek).toBe(10);
    expect(check(prebirthData({ last_period_date: '20140202' })).reasons).toEqual(['last_period_date_out_of_range']);
    const post = (dob: string) => check({ ...prebirthData(), last_period_date: undefined, baby_dob: dob }, { stage: 'postbirth' });
    expect(post('20150202')).toMatchObject({ valid: true, regType: 'hw_post', babyAge: 28 });
    expect(post('20150818').reasons).toEqual(['baby_dob_out_of_range']);
    expect(post('20130717').reasons).toEqual(['baby_dob_out_of_range']);
    const loss = { receiver_id: MOTHER, operator_id: MOTHER, language: 'hau_NG', msg_type: 'text', loss_reason: 'baby_death' };
    expect(check(loss, { stage: 'loss', authority: 'patient' }).reasons).toEqual(['loss_reason']);
    expect(check({ ...loss, loss_reason: 'baby_died' }, { stage: 'loss', authority: 'advisor' })).toMatchObject({ valid: true, regType: 'pbl_loss' });
    expect(check({ receiver_id: MOTHER, operator_id: MOTHER, language: 'pcm_NG', msg_type: 'audio' }, { stage: 'public', authority: 'patient' })).toMatchObject({ valid: true, regType: 'public' });
    expect(check(null as unknown as Record<string, unknown>).reasons).toEqual(['invalid_field_combination']);
  });

  it('does week arithmetic as spec §5.5 says', () => {
    const today = new Date('2015-08-17T00:00:00Z');
    expect(pregnancyWeeks(parseCompactDate('20150810')!, today)).toBe(2);
    expect(babyAgeWeeks(parseCompactDate('20150818')!, today)).toBe(-1);
    expect(parseCompactDate('20150230')).toBeNull();
  });

  it('maps reason codes to the legacy texts', () => {
    expect(legacyInvalidFields(['invalid_mother_id'])).toBe('Invalid UUID mother_id');
    expect(legacyInvalidFields(['baby_dob_out_of_range', 'language'])).toEqual(['baby_dob out of range', 'language']);
  });
});
