import { z } from 'zod';
import { msg } from '../../../i18n/msg.js';
import { INTERVALS } from '../../../registrations/metrics/buckets.js';
import { checkbox, multi } from '../../forms.js';
import { AdapterFormFields } from './adapterSettings.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** Filters of the Registrations page (query string); bad values fall back to the defaults. */
export const RegistrationsDashboardSchema = z.object({
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  interval: z.enum(['1d', '1w', '1mo']).catch('1d').default('1d'),
  source: multi(z.uuid()).catch([]),
  /** Reload the page every minute (spec §9 auto-refresh). */
  refresh: checkbox,
});

export const RegistrationsChartSchema = RegistrationsDashboardSchema.extend({ interval: z.enum(INTERVALS).catch('1d').default('1d') });

/** The breakdown panels of spec §9.3. */
export const BREAKDOWN_FAMILIES = ['msg_type', 'receiver_type', 'language', 'state', 'role', 'source'] as const;
export type BreakdownFamily = (typeof BREAKDOWN_FAMILIES)[number];
export const RegistrationsBreakdownSchema = RegistrationsChartSchema.extend({ family: z.enum(BREAKDOWN_FAMILIES).catch('language').default('language') });

/** The opt-out panels of spec §9.6. */
export const OPTOUT_FAMILIES = ['reason', 'source', 'receiver_type', 'msg_type'] as const;
export type OptoutFamily = (typeof OPTOUT_FAMILIES)[number];
export const RegistrationsOptoutChartSchema = RegistrationsChartSchema.extend({ family: z.enum(OPTOUT_FAMILIES).catch('reason').default('reason') });

/** The admin strip's recompute form: the metrics to recompute (none chosen: all). */
export const RegistrationsRecomputeSchema = z.object({
  mode: z.enum(['range', 'retentions']),
  from: day.optional().or(z.literal('')),
  to: day.optional().or(z.literal('')),
  interval: z.enum(INTERVALS).default('1d'),
  retentions: z.string().trim().max(200).default(''),
  forward: checkbox,
  names: multi(z.string().max(255)).pipe(z.array(z.string()).max(2000)),
});

const list = z.string().transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean))
  .pipe(z.array(z.string().max(64).regex(/^[\w-]+$/, msg('Use letters, digits, _ and - only, separated by commas.'))).min(1, msg('This field is required.')));
const weekNumber = z.coerce.number({ error: msg('Enter a whole number.') }).int(msg('Enter a whole number.')).min(-1).max(200);

/** The configuration editor (spec §2): lists are comma-separated; then the external services and metric sinks. */
export const RegistrationsSettingsSchema = z.object({
  msgTypes: list, receiverTypes: list, languages: list, states: list, roles: list, optoutReasons: list, optoutSources: list, lossReasons: list, householdOnlyReceivers: list,
  prebirthMin: weekNumber, prebirthMax: weekNumber, postbirthMin: weekNumber, postbirthMax: weekNumber,
  timezone: z.string().trim().min(1, msg('This field is required.')).max(64),
  welcomeText: z.string().trim().min(1, msg('This field is required.')).max(500),
  publicAssetBaseUrl: z.string().trim().max(500),
  metricPrefix: z.string().trim().max(64).regex(/^[\w.-]*$/, msg('Use letters, digits, dots, _ and - only.')),
  ...AdapterFormFields,
});
