import { createHash, randomBytes } from 'node:crypto';
import { orgDb } from '../../tenancy/orgDb.js';
import type { Authority } from '../validation.js';
import { tokenCache } from '../tokenCache.js';

/** What a source token may do; the default set covers intake and reads. */
export const TOKEN_SCOPES = ['registrations:write', 'registrations:read', 'changes:write', 'changes:read', 'optouts:write', 'metrics:read'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
export const DEFAULT_SCOPES: TokenScope[] = ['registrations:write', 'registrations:read', 'changes:write', 'changes:read'];

/**
 * SHA-256 of a token secret, as stored.
 * @param secret the token.
 * @returns hex digest.
 */
export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * Creates a source (spec §3.1).
 * @param orgId the org.
 * @param input name, slug (`[a-z0-9_]+`, unique per org) and authority.
 * @returns the source, or null when the slug is taken.
 */
export async function createSource(orgId: number, input: { name: string; slug: string; authority: Authority }) {
  const scoped = orgDb(orgId).registrationSource;
  if (await scoped.findFirst({ where: { slug: input.slug } })) return null;
  return scoped.create({ data: { orgId, ...input } });
}

/**
 * Issues a token for a source; the secret is returned once and only its hash is stored (spec §3.2).
 * @param orgId the org.
 * @param sourceId the source.
 * @param scopes what the token may do.
 * @returns the secret and the stored row, or null when the source is not in the org.
 */
export async function issueToken(orgId: number, sourceId: string, scopes: TokenScope[] = DEFAULT_SCOPES) {
  const scoped = orgDb(orgId);
  if (!(await scoped.registrationSource.findFirst({ where: { id: sourceId } }))) return null;
  const secret = randomBytes(30).toString('base64url');
  const token = await scoped.registrationSourceToken.create({ data: { orgId, sourceId, tokenHash: hashToken(secret), prefix: secret.slice(0, 8), scopes } });
  return { secret, token };
}

/**
 * Revokes a token of a source.
 * @param orgId the org.
 * @param sourceId the source.
 * @param tokenId the token.
 * @returns true when a live token was revoked.
 */
export async function revokeToken(orgId: number, sourceId: string, tokenId: string): Promise<boolean> {
  const result = await orgDb(orgId).registrationSourceToken.updateMany({ where: { id: tokenId, sourceId, revokedAt: null }, data: { revokedAt: new Date() } });
  tokenCache.clear();
  return result.count === 1;
}
