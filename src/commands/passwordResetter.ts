import { createHash, randomBytes } from 'node:crypto';
import { db } from '../db/client.js';
import { hashPassword } from '../auth/passwords.js';

export const RESET_TOKEN_HOURS = 48;

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Starts a password reset for an active account: stores the token's hash and returns the token
 * to mail. Unknown addresses return null; the caller answers the same either way.
 * @param email the address typed.
 * @returns the user and the token, or null.
 */
export async function startPasswordReset(email: string): Promise<{ user: { email: string; language: string | null }; token: string } | null> {
  const user = await db().user.findUnique({ where: { email: email.trim().toLowerCase() } });
  if (!user || !user.isActive) return null;
  const token = randomBytes(32).toString('base64url');
  await db().passwordReset.create({
    data: { userId: user.id, tokenHash: digest(token), expiresAt: new Date(Date.now() + RESET_TOKEN_HOURS * 3600_000) },
  });
  return { user, token };
}

/**
 * Finds the unused, unexpired reset a token belongs to.
 * @param token the token from the link.
 * @returns the reset row, or null.
 */
export async function findPasswordReset(token: string) {
  const reset = await db().passwordReset.findUnique({ where: { tokenHash: digest(token) }, include: { user: true } });
  if (!reset || reset.usedAt || reset.expiresAt < new Date() || !reset.user.isActive) return null;
  return reset;
}

/**
 * Sets the new password and spends the token, once: a second use finds the token used.
 * @param token the token from the link.
 * @param password the new password (already checked against the policy).
 * @returns true when the password was changed.
 */
export async function completePasswordReset(token: string, password: string): Promise<boolean> {
  const passwordHash = await hashPassword(password);
  return db().$transaction(async (tx) => {
    const spent = await tx.passwordReset.updateMany({
      where: { tokenHash: digest(token), usedAt: null, expiresAt: { gt: new Date() } },
      data: { usedAt: new Date() },
    });
    if (spent.count !== 1) return false;
    const reset = await tx.passwordReset.findUniqueOrThrow({ where: { tokenHash: digest(token) } });
    await tx.user.update({ where: { id: reset.userId }, data: { passwordHash, mustChangePassword: false } });
    return true;
  });
}
