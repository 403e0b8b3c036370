import { env } from '../env.js';
import type { Org } from '../generated/prisma/client.js';
import { msg } from '../i18n/msg.js';
import { logger } from '../logger.js';
import { RapidProClient, RapidProError } from '../rapidpro/client/index.js';
import { apiToken } from '../sync/rapidProFor.js';
import { orgDb } from '../tenancy/orgDb.js';
import { splitUrn, urnIdentity } from './urn.js';

/** How long the form waits for RapidPro's answer before saving with a warning. */
const LOOKUP_TIMEOUT_MS = 5_000;

/** The outcome of the uniqueness checks: an error blocks the save, a warning does not. */
export interface UrnAvailability {
  error: string | null;
  warning: string | null;
}

/** The contact being edited (null when creating). */
export interface UrnOwner {
  id: number;
  uuid: string;
}

/**
 * Checks that no other active contact of the org, and no other RapidPro contact, has the URN
 * (spec §17.9.1; a Twitter ID is compared by its number). RapidPro is asked once, without retries:
 * when it cannot answer the save goes ahead with a warning, and the push reports any conflict.
 * @param org the org.
 * @param urn the normalized URN.
 * @param self the contact being edited, or null.
 * @returns an error or a warning (message keys), or neither.
 */
export async function checkUrnAvailable(org: Org, urn: string, self: UrnOwner | null): Promise<UrnAvailability> {
  const { scheme, path } = splitUrn(urn);
  const identity = urnIdentity(urn);
  const match = scheme === 'twitterid'
    ? { OR: [{ urn: identity }, { urn: { startsWith: `${identity}#` } }] }
    : { urn: { equals: urn, mode: 'insensitive' as const } };
  const taken = await orgDb(org.id).contact.findFirst({ where: { isActive: true, ...match, ...(self ? { id: { not: self.id } } : {}) }, select: { id: true } });
  if (taken) return { error: msg('Another contact already has this address.'), warning: null };
  const token = apiToken(org);
  if (!token) return { error: null, warning: msg('RapidPro could not be asked whether this address is free; the contact is saved and will be checked when it is sent.') };
  const lookup = scheme === 'twitterid' ? `twitterid:${path.split('#')[0]}` : urn;
  const client = new RapidProClient({ baseUrl: org.apiUrl, token, timeoutMs: Math.min(LOOKUP_TIMEOUT_MS, env().RAPIDPRO_TIMEOUT_MS), retry: { maxAttempts: 1, maxThrottles: 0 }, budget: null });
  try {
    for await (const remote of client.contacts({ urn: lookup })) {
      if (!remote.deleted && remote.uuid !== self?.uuid) return { error: msg('A RapidPro contact already has this address.'), warning: null };
    }
    return { error: null, warning: null };
  } catch (error) {
    if (!(error instanceof RapidProError)) throw error;
    logger.info({ orgId: org.id, err: error }, 'URN lookup in RapidPro failed; saving anyway');
    return { error: null, warning: msg('RapidPro could not be asked whether this address is free; the contact is saved and will be checked when it is sent.') };
  }
}
