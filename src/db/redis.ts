import { Redis } from 'ioredis';
import { env } from '../env.js';

let shared: Redis | undefined;

/**
 * The process-wide Redis connection for sessions, limits and caches. Keys carry REDIS_PREFIX,
 * added by each user of the connection (connect-redis, the limiter, BullMQ) rather than by ioredis.
 * @returns the connection.
 */
export function redis(): Redis {
  shared ??= createRedis();
  return shared;
}

/**
 * Opens a new Redis connection. BullMQ workers need their own, with retries disabled per request.
 * @param options extra ioredis options.
 * @returns a new connection.
 */
export function createRedis(options: { maxRetriesPerRequest?: number | null } = {}): Redis {
  return new Redis(env().REDIS_URL, { lazyConnect: false, ...options });
}

/**
 * A key under this deployment's prefix.
 * @param parts key segments.
 * @returns "<prefix>:<parts…>".
 */
export function redisKey(...parts: (string | number)[]): string {
  return [env().REDIS_PREFIX, ...parts].join(':');
}

/** Closes the shared connection (graceful shutdown). */
export async function closeRedis(): Promise<void> {
  await shared?.quit();
  shared = undefined;
}
