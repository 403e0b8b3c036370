import argon2 from 'argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { env } from '../env.js';
import { msg } from '../i18n/msg.js';

export const PASSWORD_MIN_LENGTH = 8;
const commonPasswords = new Set<string>(dictionary['passwords-common'] as string[]);

/**
 * Hashes a password with argon2id; memory and time cost come from configuration (low in tests).
 * @param password the plain password.
 * @returns the encoded hash.
 */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, {
    type: argon2.argon2id,
    memoryCost: env().PASSWORD_HASH_MEMORY_KIB,
    timeCost: env().PASSWORD_HASH_TIME_COST,
  });
}

/**
 * Checks a password against a stored hash; a malformed hash counts as a mismatch.
 * @param hash the stored hash.
 * @param password the candidate.
 * @returns true on a match.
 */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/**
 * Explains why a new password is refused, or returns null when it is acceptable.
 * @param password the candidate.
 * @param email the account's e-mail (a password equal to it is refused).
 * @returns an English message key for t(), or null.
 */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return msg('Use at least 8 characters.');
  const lower = password.toLowerCase();
  if (commonPasswords.has(lower) || (email && lower === email.toLowerCase())) {
    return msg('This password is too common; choose another.');
  }
  return null;
}
