import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { applyMigrations } from '../../src/db/migrator.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL, withDatabase } from './testEnv.js';

const STALE_AFTER_HOURS = 6;

/** Drops test databases left by runs that were killed before their teardown. */
async function dropStaleDatabases(admin: pg.Client, prefix: string) {
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT d.datname FROM pg_database d
     WHERE d.datname LIKE $1 AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)
       AND (pg_stat_file('base/' || d.oid || '/PG_VERSION', true)).modification < now() - make_interval(hours => $2)`,
    [`${prefix}\\_%`, STALE_AFTER_HOURS],
  ).catch(() => ({ rows: [] as { datname: string }[] }));
  for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => undefined);
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisPrefix: string;
    databaseUrl: string;
  }
}

/**
 * Creates the test database afresh and migrates it once for the whole run; gives the run its own
 * Redis key prefix and removes its keys at the end.
 */
export default async function setup(project: TestProject) {
  // Each run gets its own database, so runs started side by side never drop each other's.
  const runId = randomUUID().slice(0, 8);
  const name = `${new URL(TEST_DATABASE_URL).pathname.slice(1)}_${runId}`;
  const databaseUrl = withDatabase(TEST_DATABASE_URL, name);
  const admin = new pg.Client({ connectionString: withDatabase(TEST_DATABASE_URL, 'postgres') });
  await admin.connect();
  await dropStaleDatabases(admin, new URL(TEST_DATABASE_URL).pathname.slice(1));
  await admin.query(`CREATE DATABASE "${name}"`);
  await applyMigrations(databaseUrl);

  const redisPrefix = `tracpro-test:${runId}`;
  project.provide('redisPrefix', redisPrefix);
  project.provide('databaseUrl', databaseUrl);

  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
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
