import { describe, expect, it } from 'vitest';
import { diffMigrationsToSchema, hasStatements } from '../../src/db/migrator.js';

describe('migrations', () => {
  it('produce exactly schema.prisma', async () => {
    const sql = await diffMigrationsToSchema(process.env.DATABASE_URL!);
    expect(hasStatements(sql), sql).toBe(false);
  });
});
