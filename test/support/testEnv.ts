// Where the tests' database and Redis live. Shared by globalSetup (main process) and setupEnv (workers).
const base = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** The test database: the given server, database tracpro_test (or TEST_DATABASE_URL). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? withDatabase(base, 'tracpro_test');
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Replaces the database name of a Postgres URL.
 * @param url the URL.
 * @param name the database.
 * @returns the new URL.
 */
export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}
