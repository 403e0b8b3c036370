import { randomUUID } from 'node:crypto';
import { createOrg } from '../../src/commands/orgCreator.js';
import { createUser } from '../../src/commands/userCreator.js';
import type { Org, Role, User } from '../../src/generated/prisma/client.js';

export const TEST_PASSWORD = 'correct-horse-battery';

function unique(): string {
  return randomUUID().replace(/-/g, '').slice(0, 10);
}

/**
 * Builds a fresh org, so tests never share data.
 * @param overrides fields to set.
 * @returns the org.
 */
export function buildOrg(overrides: Partial<Parameters<typeof createOrg>[0]> = {}): Promise<Org> {
  const id = unique();
  return createOrg({
    name: `Org ${id}`,
    subdomain: `org-${id}`,
    apiUrl: 'http://127.0.0.1:9',
    apiToken: `token${id}`,
    timezone: 'UTC',
    languages: ['en', 'fr'],
    defaultLanguage: 'en',
    ...overrides,
  });
}

/**
 * Builds a user, optionally a member of an org with a role.
 * @param org the org, or null for no membership.
 * @param options role and account flags.
 * @returns the user (password TEST_PASSWORD unless given).
 */
export function buildUser(
  org: Org | null,
  options: { role?: Role; isSuperuser?: boolean; mustChangePassword?: boolean; password?: string; language?: string } = {},
): Promise<User> {
  return createUser(
    {
      email: `user-${unique()}@example.org`,
      name: `User ${unique()}`,
      password: options.password ?? TEST_PASSWORD,
      isSuperuser: options.isSuperuser ?? false,
      mustChangePassword: options.mustChangePassword ?? false,
      language: options.language ?? null,
    },
    org ? { orgId: org.id, role: options.role ?? 'admin' } : undefined,
  );
}
