import { z } from 'zod';

/** Org settings kept in orgs.settings (JSON); later issues add keys with defaults. */
export const OrgSettingsSchema = z
  .object({
    /** Share of the RapidPro server's rate this org's syncs may use (0–1). */
    apiBudgetShare: z.number().min(0.05).max(1).default(0.5),
    /** What charts use when a contact answers a numeric question twice in a day (spec §10): the last answer or the sum. */
    sameDayMode: z.enum(['use_last', 'sum']).default('use_last'),
  })
  .loose();
export type OrgSettings = z.infer<typeof OrgSettingsSchema>;

/**
 * Reads org settings, filling defaults and dropping nothing unknown.
 * @param raw the stored JSON.
 * @returns validated settings (defaults when the stored value is unusable).
 */
export function readOrgSettings(raw: unknown): OrgSettings {
  const parsed = OrgSettingsSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : OrgSettingsSchema.parse({});
}
