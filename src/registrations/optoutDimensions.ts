import { orgDb } from '../tenancy/orgDb.js';
import type { RegistrationConfig } from './config.js';

/**
 * The short source of an opt-out: the request source before its first "_" (`ussd_public` → `ussd`),
 * reduced to characters a metric name may hold.
 * @param requestSource the raw request source.
 * @returns the short source ("unknown" when nothing is left).
 */
export function shortSource(requestSource: string): string {
  return (requestSource.split('_')[0]!.toLowerCase().replace(/[^a-z0-9-]/g, '') || 'unknown').slice(0, 64);
}

/**
 * The reason bucket of an opt-out: its reason when the org lists it, else `other` (spec §3.6).
 * @param reason the raw reason.
 * @param config the org's configuration.
 * @returns the bucket.
 */
export function reasonBucket(reason: string, config: RegistrationConfig): string {
  return config.optoutReasons.includes(reason) ? reason : 'other';
}

/**
 * The short sources of the org's attributed opt-outs that its list does not name (e.g. `ivr`): their
 * metrics are still kept, and the dashboard shows them together as "other sources" (spec §8.4).
 * @param orgId the org.
 * @param config the org's configuration.
 * @returns the short sources, sorted.
 */
export async function otherOptoutSources(orgId: number, config: RegistrationConfig): Promise<string[]> {
  const groups = await orgDb(orgId).optoutEvent.groupBy({ by: ['sourceShort'], where: { registrationId: { not: null }, sourceShort: { notIn: config.optoutSources } } });
  return groups.map((g) => g.sourceShort).sort();
}
