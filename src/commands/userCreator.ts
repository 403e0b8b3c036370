import { randomBytes } from 'node:crypto';
import { db } from '../db/client.js';
import type { Role, User } from '../generated/prisma/client.js';
import { hashPassword } from '../auth/passwords.js';

export interface UserFields {
  email: string;
  name: string;
  /** Plain password; hashed here. */
  password: string;
  isSuperuser?: boolean;
  mustChangePassword?: boolean;
  language?: string | null;
}

/**
 * Creates an account, and optionally its membership in one org, in one transaction.
 * @param fields the account's fields.
 * @param membership the org and role, if any.
 * @returns the user.
 */
export async function createUser(fields: UserFields, membership?: { orgId: number; role: Role }): Promise<User> {
  const passwordHash = await hashPassword(fields.password);
  return db().$transaction(async (tx) => {
    const user = await tx.user.create({
      data: {
        email: fields.email.trim().toLowerCase(),
        name: fields.name,
        passwordHash,
        isSuperuser: fields.isSuperuser ?? false,
        mustChangePassword: fields.mustChangePassword ?? false,
        language: fields.language ?? null,
      },
    });
    if (membership) await tx.orgMembership.create({ data: { ...membership, userId: user.id } });
    return user;
  });
}

/**
 * A temporary password for an account an administrator creates (shown to them once).
 * @returns 14 URL-safe characters.
 */
export function temporaryPassword(): string {
  return randomBytes(12).toString('base64url').slice(0, 14);
}

/**
 * Tells whether an e-mail address is taken by another account.
 * @param email the address.
 * @param exceptUserId the account being edited, if any.
 * @returns true when taken.
 */
export async function emailTaken(email: string, exceptUserId?: number): Promise<boolean> {
  const existing = await db().user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true } });
  return Boolean(existing && existing.id !== exceptUserId);
}
