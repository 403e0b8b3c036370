import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { applyMigrations } from '../../src/db/migrator.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL, withDatabase } from './testEnv.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisPrefix: string;
  }
}

/**
 * Creates the test database afresh and migrates it once for the whole run; gives the run its own
 * Redis key prefix and removes its keys at the end.
 */
export default async function setup(project: TestProject) {
  const name = new URL(TEST_DATABASE_URL).pathname.slice(1);
  const admin = new pg.Client({ connectionString: withDatabase(TEST_DATABASE_URL, 'postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  await applyMigrations(TEST_DATABASE_URL);

  const redisPrefix = `tracpro-test:${randomUUID().slice(0, 8)}`;
  project.provide('redisPrefix', redisPrefix);

  return async () => {
    const redis = new Redis(TEST_REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
  };
}
