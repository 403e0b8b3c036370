import { z } from 'zod';

/** Org settings kept in orgs.settings (JSON); later issues add keys with defaults. */
export const OrgSettingsSchema = z
  .object({
    /** Share of the RapidPro server's rate this org's syncs may use (0–1). */
    apiBudgetShare: z.number().min(0.05).max(1).default(0.5),
    /** What charts use when a contact answers a numeric question twice in a day (spec §10): the last answer or the sum. */
    sameDayMode: z.enum(['use_last', 'sum']).default('use_last'),
    /** Indicators offer the spoof-data generator and "clear all spoof data" (spec §14.7); off by default. */
    showSpoofData: z.boolean().default(false),
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

/**
 * Changes some org settings and keeps every other stored key as it was (defaults stay implicit).
 * @param raw the stored JSON.
 * @param changes the keys to set.
 * @returns the JSON to store.
 */
export function withOrgSettings(raw: unknown, changes: Partial<OrgSettings>): Record<string, unknown> {
  const stored = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  return { ...stored, ...changes };
}
