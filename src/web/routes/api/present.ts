import type { MetricJobRun, Registration, RegistrationChange, RegistrationSource, RegistrationSourceToken, SubscriptionRequest } from '../../../generated/prisma/client.js';

/**
 * The Registration resource (spec §4.3).
 * @param r the row.
 * @returns the JSON.
 */
export function presentRegistration(r: Registration) {
  return {
    id: r.id, sourceId: r.sourceId, stage: r.stage, motherId: r.motherId, data: r.data,
    validated: r.validationStatus === 'valid', validationStatus: r.validationStatus, regType: r.regType, pregWeek: r.pregWeek, babyAge: r.babyAge,
    invalidReasons: r.invalidReasons, followupStatus: r.followupStatus, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
  };
}

/**
 * The Change resource.
 * @param c the row.
 * @returns the JSON.
 */
export function presentChange(c: RegistrationChange) {
  return {
    id: c.id, sourceId: c.sourceId, motherId: c.motherId, action: c.action, data: c.data, status: c.status, error: c.error,
    createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString(),
  };
}

/**
 * A SubscriptionRequest.
 * @param s the row.
 * @returns the JSON.
 */
export function presentSubscriptionRequest(s: SubscriptionRequest) {
  return {
    id: s.id, registrationId: s.registrationId, changeId: s.changeId, identity: s.identity, messagesetId: s.messagesetId,
    messagesetShortName: s.messagesetShortName, nextSequenceNumber: s.nextSequenceNumber, lang: s.lang, scheduleId: s.scheduleId,
    metadata: s.metadata, deliveryStatus: s.deliveryStatus, lastError: s.lastError, createdAt: s.createdAt.toISOString(),
  };
}

/**
 * A source with its tokens (never their secrets).
 * @param s the row.
 * @returns the JSON.
 */
export function presentSource(s: RegistrationSource & { tokens?: RegistrationSourceToken[] }) {
  return {
    id: s.id, name: s.name, slug: s.slug, authority: s.authority, active: s.active, createdAt: s.createdAt.toISOString(),
    tokens: (s.tokens ?? []).map((t) => ({ id: t.id, prefix: t.prefix, scopes: t.scopes, lastUsedAt: t.lastUsedAt?.toISOString() ?? null, revokedAt: t.revokedAt?.toISOString() ?? null })),
  };
}

/**
 * A JobRun.
 * @param j the row.
 * @returns the JSON.
 */
export function presentJobRun(j: MetricJobRun) {
  return {
    id: j.id, kind: j.kind, params: j.params, status: j.status, progress: j.progress, summary: j.summary,
    startedAt: j.startedAt?.toISOString() ?? null, finishedAt: j.finishedAt?.toISOString() ?? null, createdAt: j.createdAt.toISOString(),
  };
}
