import type { SubscriptionRequest } from '../generated/prisma/client.js';
import { orgDb } from '../tenancy/orgDb.js';
import type { Adapters } from './adapters/index.js';

/**
 * Hands subscription requests to the messaging service in one call and records each outcome on
 * its row (spec §6 step 4): the delivered ones in one update, each failure with its error.
 * Requests already delivered are skipped, so a retry hands over only what is left.
 * @param orgId the org.
 * @param adapters the org's adapters.
 * @param requests the requests (rows as stored).
 * @returns request id → error, for the requests not delivered.
 */
export async function deliverSubscriptionRequests(orgId: number, adapters: Adapters, requests: SubscriptionRequest[]): Promise<Map<string, string>> {
  const scoped = orgDb(orgId).subscriptionRequest;
  const pending = requests.filter((r) => r.deliveryStatus !== 'delivered');
  if (!pending.length) return new Map();
  const outcomes = await adapters.messaging.submitSubscriptionRequests(pending.map((r) => ({
    identity: r.identity, messageset: r.messagesetId, next_sequence_number: r.nextSequenceNumber, lang: r.lang,
    schedule: r.scheduleId, metadata: r.metadata as Record<string, unknown>, messageset_short_name: r.messagesetShortName,
  }))).catch((error: unknown) => pending.map(() => (error as Error).message));
  const failed = new Map<string, string>();
  pending.forEach((r, i) => outcomes[i] && failed.set(r.id, outcomes[i]));
  const delivered = pending.filter((r) => !failed.has(r.id)).map((r) => r.id);
  if (delivered.length) await scoped.updateMany({ where: { id: { in: delivered } }, data: { deliveryStatus: 'delivered', lastError: null } });
  for (const [id, error] of failed) await scoped.updateMany({ where: { id }, data: { deliveryStatus: 'failed', lastError: error.slice(0, 500) } });
  return failed;
}
