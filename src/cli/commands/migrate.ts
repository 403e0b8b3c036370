import { env } from '../../env.js';
import { applyMigrations, createMigration } from '../../db/migrator.js';
import { z } from 'zod';
import { parseFlags } from '../args.js';

/** `tracpro migrate`: applies pending migrations (offline, through the wasm schema engine). */
export async function migrate(argv: string[]) {
  parseFlags(argv, {}, z.object({}));
  const applied = await applyMigrations(env().DATABASE_URL);
  console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'The database is up to date.');
}

/** `tracpro migration:create --name NAME`: writes a migration for the changes in schema.prisma. */
export async function migrationCreate(argv: string[]) {
  const { name } = parseFlags(argv, { name: { type: 'string' } }, z.object({ name: z.string().regex(/^[a-z0-9_]+$/, 'use snake_case') }));
  const folder = await createMigration(env().DATABASE_URL, name);
  console.log(folder ? `Created prisma/migrations/${folder}` : 'schema.prisma has no changes.');
}
