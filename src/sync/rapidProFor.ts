import { env } from '../env.js';
import type { Org } from '../generated/prisma/client.js';
import { logger } from '../logger.js';
import { open } from '../lib/secretBox.js';
import { RapidProClient, RequestBudget } from '../rapidpro/client/index.js';
import { readOrgSettings } from '../tenancy/orgSettings.js';

const budgets = new Map<number, RequestBudget>();

/** The org has no RapidPro token (jobs skip it; pages ask an admin to set one). */
export class MissingTokenError extends Error {
  constructor() {
    super('This organization has no RapidPro API token. An administrator can set one on the organization page.');
  }
}

/**
 * Reads an org's RapidPro token.
 * @param org the org.
 * @returns the token in clear, or null when none is set.
 */
export function apiToken(org: Pick<Org, 'apiTokenEncrypted'>): string | null {
  return org.apiTokenEncrypted ? open(env().encryptionKey, org.apiTokenEncrypted) : null;
}

/**
 * A RapidPro client for one org. Its request budget is shared by every job of the org in this
 * process, and is the org's share (default half) of the server's rate, so other tools using the
 * same workspace keep theirs.
 * @param org the org.
 * @returns the client.
 * @throws MissingTokenError when the org has no token.
 */
export function rapidProFor(org: Org): RapidProClient {
  const token = apiToken(org);
  if (!token) throw new MissingTokenError();
  const config = env();
  const share = readOrgSettings(org.settings).apiBudgetShare;
  let budget = budgets.get(org.id);
  const requests = Math.max(1, Math.floor(config.RAPIDPRO_SERVER_RATE_PER_HOUR * share));
  if (!budget || budget.rate?.requests !== requests) {
    budget = new RequestBudget({ requests, windowMs: 3_600_000 });
    budgets.set(org.id, budget);
  }
  return new RapidProClient({
    baseUrl: org.apiUrl,
    token,
    timeoutMs: config.RAPIDPRO_TIMEOUT_MS,
    retry: { baseMs: config.RAPIDPRO_RETRY_BASE_MS, throttleBaseMs: Math.min(30_000, config.RAPIDPRO_THROTTLE_WAIT_MAX_MS), maxThrottles: 3 },
    budget: config.RAPIDPRO_BUDGET_OFF ? null : budget,
    logger: logger.child({ org: org.subdomain, component: 'rapidpro' }),
  });
}
