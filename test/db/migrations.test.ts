import { describe, expect, it } from 'vitest';
import { diffMigrationsToSchema, hasStatements } from '../../src/db/migrator.js';
import { TEST_DATABASE_URL } from '../support/testEnv.js';

describe('migrations', () => {
  it('produce exactly schema.prisma', async () => {
    const sql = await diffMigrationsToSchema(TEST_DATABASE_URL);
    expect(hasStatements(sql), sql).toBe(false);
  });
});
