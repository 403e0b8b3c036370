import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { env } from '../env.js';
import { closePgPool } from './pool.js';

export type Db = PrismaClient;
let client: PrismaClient | undefined;

/**
 * The raw Prisma client on the pg driver adapter. Only db/ and tenancy/ use it directly;
 * everything else reaches org data through orgDb(orgId).
 * @returns the process-wide client.
 */
export function db(): PrismaClient {
  client ??= createDb(env().DATABASE_URL, env().DATABASE_POOL_SIZE);
  return client;
}

/**
 * Creates a Prisma client for a connection string (tests and CLI use their own).
 * @param connectionString Postgres URL.
 * @param max pool size.
 * @returns a new client.
 */
export function createDb(connectionString: string, max = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max }) });
}

/** Closes the process-wide client (graceful shutdown). */
export async function closeDb(): Promise<void> {
  await Promise.all([client?.$disconnect(), closePgPool()]);
  client = undefined;
}
