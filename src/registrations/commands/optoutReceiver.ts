import type { OptoutEvent } from '../../generated/prisma/client.js';
import { applyMetricsTask } from '../../jobs/tasks/ApplyMetricsTask.js';
import { orgDb } from '../../tenancy/orgDb.js';
import { loadConfig } from '../config.js';
import { reasonBucket, shortSource } from '../optoutDimensions.js';

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
  const select = { id: true, msgReceiver: true, msgType: true, sourceId: true };
  const registration =
    (await scoped.registration.findFirst({ where: { motherId: input.identity }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select })) ??
    (await scoped.registration.findFirst({ where: { receiverId: input.identity }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select }));
  const row = await scoped.optoutEvent.create({
    data: {
      orgId, identityId: input.identity, reason: input.reason.slice(0, 128), requestSource: input.requestSource.slice(0, 128),
      reasonBucket: reasonBucket(input.reason, config), sourceShort: shortSource(input.requestSource),
      registrationId: registration?.id ?? null, attributedReceiver: registration?.msgReceiver ?? null, attributedMsgType: registration?.msgType ?? null,
      attributedSourceId: registration?.sourceId ?? null, receivedAt,
    },
  });
  await applyMetricsTask.schedule({ orgId, kind: 'optout', rowId: row.id }, { jobId: `optout-${row.id}` });
  return row;
}
