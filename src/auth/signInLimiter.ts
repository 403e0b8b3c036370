import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { env } from '../env.js';
import { redis, redisKey } from '../db/redis.js';

let limiters: { account: RateLimiterRedis; address: RateLimiterRedis } | undefined;

function getLimiters() {
  const config = env();
  const duration = config.LOGIN_WINDOW_MINUTES * 60;
  limiters ??= {
    account: new RateLimiterRedis({
      storeClient: redis(), keyPrefix: redisKey('signin', 'account'), points: config.LOGIN_MAX_FAILURES_PER_ACCOUNT, duration,
    }),
    address: new RateLimiterRedis({
      storeClient: redis(), keyPrefix: redisKey('signin', 'address'), points: config.LOGIN_MAX_FAILURES_PER_ADDRESS, duration,
    }),
  };
  return limiters;
}

/**
 * Seconds until sign-in is allowed again for this account or address, or 0 when it is allowed now.
 * @param email the account tried (lower-cased).
 * @param address the client address.
 * @returns seconds to wait.
 */
export async function signInBlockedFor(email: string, address: string): Promise<number> {
  const { account, address: byAddress } = getLimiters();
  const [a, b] = await Promise.all([account.get(email), byAddress.get(address)]);
  const waits = [
    a && a.consumedPoints >= account.points ? a.msBeforeNext : 0,
    b && b.consumedPoints >= byAddress.points ? b.msBeforeNext : 0,
  ];
  return Math.ceil(Math.max(...waits) / 1000);
}

/**
 * Counts a failed sign-in against both the account and the address.
 * @param email the account tried.
 * @param address the client address.
 */
export async function recordSignInFailure(email: string, address: string): Promise<void> {
  const { account, address: byAddress } = getLimiters();
  await Promise.all([
    account.penalty(email, 1),
    byAddress.penalty(address, 1),
  ]).catch((error: unknown) => {
    if (!(error instanceof RateLimiterRes)) throw error;
  });
}

/**
 * Forgets an account's failures after a successful sign-in (the address count stays).
 * @param email the account.
 */
export async function clearSignInFailures(email: string): Promise<void> {
  await getLimiters().account.delete(email);
}
