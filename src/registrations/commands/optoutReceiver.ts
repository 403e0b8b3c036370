import type { OptoutEvent } from '../../generated/prisma/client.js';
import { applyMetricsTask } from '../../jobs/tasks/ApplyMetricsTask.js';
import { orgDb } from '../../tenancy/orgDb.js';
import { loadConfig } from '../config.js';

/**
 * The short source of an opt-out: the request source before its first "_" (`ussd_public` → `ussd`),
 * reduced to characters a metric name may hold.
 * @param requestSource the raw request source.
 * @returns the short source ("unknown" when nothing is left).
 */
export function shortSource(requestSource: string): string {
  return requestSource.split('_')[0]!.toLowerCase().replace(/[^a-z0-9-]/g, '') || 'unknown';
}

/**
 * Records an opt-out notification (spec §3.6, §8.4): attributes it to the identity's newest
 * registration as mother, else as receiver; stores it even when nothing matches; queues its metrics.
 * @param orgId the org.
 * @param input identity, reason and request source as notified.
 * @param receivedAt when it arrived.
 * @returns the stored event.
 */
export async function receiveOptout(orgId: number, input: { identity: string; reason: string; requestSource: string }, receivedAt = new Date()): Promise<OptoutEvent> {
  const scoped = orgDb(orgId);
  const config = await loadConfig(orgId);
  const select = { id: true, msgReceiver: true, msgType: true };
  const registration =
    (await scoped.registration.findFirst({ where: { motherId: input.identity }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select })) ??
    (await scoped.registration.findFirst({ where: { receiverId: input.identity }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select }));
  const row = await scoped.optoutEvent.create({
    data: {
      orgId, identityId: input.identity, reason: input.reason.slice(0, 128), requestSource: input.requestSource.slice(0, 128),
      reasonBucket: config.optoutReasons.includes(input.reason) ? input.reason : 'other', sourceShort: shortSource(input.requestSource).slice(0, 64),
      registrationId: registration?.id ?? null, attributedReceiver: registration?.msgReceiver ?? null, attributedMsgType: registration?.msgType ?? null, receivedAt,
    },
  });
  await applyMetricsTask.schedule({ orgId, kind: 'optout', rowId: row.id }, { jobId: `optout-${row.id}` });
  return row;
}
