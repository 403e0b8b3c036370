import { db } from '../db/client.js';
import { hashPassword, passwordProblem, verifyPassword } from '../auth/passwords.js';
import { emailTaken } from './userCreator.js';
import { msg } from '../i18n/msg.js';

export interface ProfileChanges {
  name: string;
  email: string;
  /** '' means "follow the org's default". */
  language: string;
  currentPassword: string;
  newPassword: string;
}

/**
 * Updates one's own profile. A password change needs the current password and clears the
 * must-change flag; when the flag is set a new password is required.
 * @param userId the account.
 * @param changes the submitted fields.
 * @returns field errors (message keys), or null when saved.
 */
export async function updateProfile(userId: number, changes: ProfileChanges): Promise<Record<string, string> | null> {
  const user = await db().user.findUniqueOrThrow({ where: { id: userId } });
  if (await emailTaken(changes.email, userId)) return { email: msg('Another account already uses this e-mail.') };
  const changingPassword = changes.newPassword !== '' || user.mustChangePassword;
  let passwordHash: string | undefined;
  if (changingPassword) {
    if (changes.newPassword === '') return { newPassword: msg('This field is required.') };
    const problem = passwordProblem(changes.newPassword, changes.email);
    if (problem) return { newPassword: problem };
    if (!(await verifyPassword(user.passwordHash, changes.currentPassword))) return { currentPassword: msg('Your current password is not right.') };
    passwordHash = await hashPassword(changes.newPassword);
  }
  await db().user.update({
    where: { id: userId },
    data: {
      name: changes.name,
      email: changes.email,
      language: changes.language || null,
      ...(passwordHash ? { passwordHash, mustChangePassword: false } : {}),
    },
  });
  return null;
}
