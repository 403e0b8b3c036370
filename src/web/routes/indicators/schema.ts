import { z } from 'zod';
import { isDay } from '../../../dashboard/dateRange.js';
import { msg } from '../../../i18n/msg.js';
import { parseDecimal } from '../../../polls/rules.js';
import { multi, requiredText } from '../../forms.js';

const REQUIRED = msg('This field is required.');
const INVALID_CHOICE = msg('Select a valid choice. That choice is not one of the available choices.');
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const day = z.preprocess(blank, z.string({ error: REQUIRED }).trim().refine(isDay, msg('Enter a valid date.')));
const optionalId = z.preprocess(blank, z.coerce.number({ error: INVALID_CHOICE }).int(INVALID_CHOICE).positive(INVALID_CHOICE).optional());
const requiredId = z.preprocess(blank, z.coerce.number({ error: REQUIRED }).int(INVALID_CHOICE).positive(INVALID_CHOICE));
/** A number as spec §11.2 reads one, kept as its decimal text. */
const decimal = z.preprocess(blank, z.string().trim().max(40, msg('This is too long.')).refine((v) => parseDecimal(v) !== null, msg('Enter a number.')).optional());
const integer = z.preprocess(blank, z.coerce.number({ error: REQUIRED }).int(msg('Enter a whole number.')).min(-1_000_000_000).max(1_000_000_000));

/**
 * The indicator form (spec §6.14, §17.11): a baseline question or a goal, a follow-up question, the
 * term and the y-axis title. Whether the questions belong to the org's polls is checked against
 * the database after this.
 */
export const IndicatorFormSchema = z
  .object({
    name: requiredText(255),
    startDate: day,
    endDate: day,
    baselinePoll: optionalId,
    baselineQuestion: optionalId,
    goal: decimal,
    followUpPoll: requiredId,
    followUpQuestion: requiredId,
    yAxisTitle: z.string().trim().max(255, msg('This is too long.')).default(''),
  })
  .superRefine((v, ctx) => {
    if (v.startDate > v.endDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: msg('The end date must not be before the start date.') });
    if (v.goal !== undefined && (v.baselinePoll !== undefined || v.baselineQuestion !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['goal'], message: msg('Choose a baseline question or enter a goal, not both.') });
    } else if (v.goal === undefined) {
      if (v.baselinePoll === undefined) ctx.addIssue({ code: 'custom', path: ['baselinePoll'], message: msg('Choose a baseline poll, or enter a goal.') });
      else if (v.baselineQuestion === undefined) ctx.addIssue({ code: 'custom', path: ['baselineQuestion'], message: REQUIRED });
    }
    if (v.baselineQuestion !== undefined && v.baselineQuestion === v.followUpQuestion) {
      ctx.addIssue({ code: 'custom', path: ['followUpQuestion'], message: msg('The follow-up question must differ from the baseline question.') });
    }
  });
export type IndicatorFormInput = z.infer<typeof IndicatorFormSchema>;

/** The indicator page's own filters beside the dashboard's (spec §17.11): a goal and one contact region. */
export const IndicatorPageQuerySchema = z.object({
  goal: decimal,
  contactRegion: optionalId,
});

/** The spoof-data form (spec §14.7); contacts and questions are checked against the database after this. */
export const SpoofFormSchema = z
  .object({
    contacts: multi(z.coerce.number({ error: INVALID_CHOICE }).int(INVALID_CHOICE).positive(INVALID_CHOICE)).refine((ids) => ids.length > 0, REQUIRED),
    startDate: day,
    endDate: day,
    baselineQuestion: requiredId,
    followUpQuestion: requiredId,
    baselineMin: integer,
    baselineMax: integer,
    followUpMin: integer,
    followUpMax: integer,
  })
  .superRefine((v, ctx) => {
    if (v.startDate > v.endDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: msg('The end date must not be before the start date.') });
    if (v.baselineQuestion === v.followUpQuestion) {
      ctx.addIssue({ code: 'custom', path: ['followUpQuestion'], message: msg('The follow-up question must differ from the baseline question.') });
    }
    // Original: skipped when a bound was 0 (Q14); always checked here.
    if (v.baselineMin > v.baselineMax) ctx.addIssue({ code: 'custom', path: ['baselineMax'], message: msg('The maximum must not be below the minimum.') });
    if (v.followUpMin > v.followUpMax) ctx.addIssue({ code: 'custom', path: ['followUpMax'], message: msg('The maximum must not be below the minimum.') });
  });
export type SpoofFormInput = z.infer<typeof SpoofFormSchema>;
