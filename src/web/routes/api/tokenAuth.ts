import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { db } from '../../../db/client.js';
import type { RegistrationSource, RegistrationSourceToken } from '../../../generated/prisma/client.js';
import { can, type Capability } from '../../../policies/index.js';
import { hashToken, type TokenScope } from '../../../registrations/commands/sourceCreator.js';
import { tokenCache } from '../../../registrations/tokenCache.js';
import { ACCESS_RULE, type AccessGuard } from '../../access.js';
import { ApiError } from './errors.js';
import { sameOrigin } from '../../sameOrigin.js';

/** Who calls the API: a source (by token) or a signed-in member (by session). */
export type ApiPrincipal =
  | { kind: 'source'; source: RegistrationSource; scopes: string[]; ref: string }
  | { kind: 'user'; userId: number; ref: string };

const TOUCH_EVERY_MS = 60_000;

type SourceToken = RegistrationSourceToken & { source: RegistrationSource };

/**
 * The caller of an API request, set by the route's guard.
 * @param res the response.
 * @returns the principal.
 */
export function principal(res: Response): ApiPrincipal {
  return res.locals.apiPrincipal as ApiPrincipal;
}

function bearer(req: Request): string | null {
  const header = req.headers.authorization;
  const match = header ? /^(?:Token|Bearer)\s+(\S+)$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/**
 * Resolves a source token (spec §4.1): by prefix, hash compared in constant time; revoked tokens and
 * inactive sources are refused (401); a token of another org is 404 (decision 8). Token resolution
 * looks across orgs on purpose — like loadOrg, it is what decides the org, so it uses the raw client.
 */
async function resolveToken(req: Request, secret: string) {
  const hex = hashToken(secret);
  // Live tokens are reused for TOKEN_CACHE_MS (a revocation elsewhere shows within that); the key
  // is the full hash, so a hit is as strong a match as the constant-time comparison below.
  let token = tokenCache.get<SourceToken>(hex);
  if (!token) {
    const hash = Buffer.from(hex, 'hex');
    const candidates = await db().registrationSourceToken.findMany({ where: { prefix: secret.slice(0, 8) }, include: { source: true } });
    token = candidates.find((c) => timingSafeEqual(Buffer.from(c.tokenHash, 'hex'), hash));
    if (!token || token.revokedAt || !token.source.active) throw new ApiError(401, 'unauthorized', 'Invalid or revoked token.');
    tokenCache.set(hex, token);
  }
  if (token.orgId !== req.org?.id) throw new ApiError(404, 'not_found', 'Not found.');
  if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    token.lastUsedAt = new Date();
    // Bookkeeping only: a lost update must not fail the request.
    void db().registrationSourceToken.update({ where: { id: token.id }, data: { lastUsedAt: token.lastUsedAt } }).catch(() => undefined);
  }
  return token;
}


type Check = (req: Request, res: Response) => Promise<void>;

function guard(rule: string, check: Check): AccessGuard {
  const handler = (req: Request, res: Response, next: NextFunction) => {
    check(req, res).then(() => next(), next);
  };
  return Object.assign(handler, { [ACCESS_RULE]: rule });
}

async function asSource(req: Request, res: Response, secret: string, scope: TokenScope) {
  const token = await resolveToken(req, secret);
  if (!token.scopes.includes(scope)) throw new ApiError(403, 'forbidden', `This token lacks the ${scope} scope.`);
  res.locals.apiPrincipal = { kind: 'source', source: token.source, scopes: token.scopes, ref: `source:${token.source.id}` } satisfies ApiPrincipal;
}

function asMember(req: Request, res: Response, capability: Capability) {
  if (!req.user) throw new ApiError(401, 'unauthorized', 'Sign in or send a source token.');
  const actor = req.actor;
  if (!req.org || !actor || (!actor.role && !actor.isSuperuser)) throw new ApiError(404, 'not_found', 'Not found.');
  if (!can(actor, capability)) throw new ApiError(403, 'forbidden', 'Your role does not allow this.');
  // The API is exempt from the CSRF token, so session writes must at least come from our own pages.
  if (!['GET', 'HEAD'].includes(req.method) && !sameOrigin(req)) throw new ApiError(403, 'forbidden', 'Cross-site request refused.');
  res.locals.apiPrincipal = { kind: 'user', userId: req.user.id, ref: `user:${req.user.id}` } satisfies ApiPrincipal;
}

/**
 * Guards of the JSON API v1, declared as each route's access rule:
 *   router.post('/api/v1/registrations', apiAccess.source('registrations:write'), create)
 * Source tokens: unknown/revoked → 401, another org's → 404, missing scope → 403.
 * Sessions: none → 401, non-member → 404, role without the capability → 403.
 */
export const apiAccess = {
  /** A source token with the scope. */
  source(scope: TokenScope): AccessGuard {
    return guard(`apiSource:${scope}`, async (req, res) => {
      const secret = bearer(req);
      if (!secret) throw new ApiError(401, 'unauthorized', 'Send a source token: Authorization: Token <secret>.');
      await asSource(req, res, secret, scope);
    });
  },

  /** A source token with the scope, or a signed-in member with the capability. */
  sourceOrMember(scope: TokenScope, capability: Capability): AccessGuard {
    return guard(`apiSourceOrMember:${scope}:${capability}`, async (req, res) => {
      const secret = bearer(req);
      if (secret) await asSource(req, res, secret, scope);
      else asMember(req, res, capability);
    });
  },

  /** A signed-in member with the capability; source tokens get 403 (spec §4.1). */
  member(capability: Capability): AccessGuard {
    return guard(`apiMember:${capability}`, async (req, res) => {
      const secret = bearer(req);
      if (secret) {
        await resolveToken(req, secret);
        throw new ApiError(403, 'forbidden', 'Source tokens may not use this route.');
      }
      asMember(req, res, capability);
    });
  },
};
