import { db } from '../db/client.js';

/** The signed-in user as every request sees it (loaded fresh from the database per request). */
export interface CurrentUser {
  id: number;
  email: string;
  name: string;
  isSuperuser: boolean;
  language: string | null;
  mustChangePassword: boolean;
}

/**
 * Loads an active user for the session; a deactivated or deleted user is signed out.
 * @param id the user id kept in the session.
 * @returns the user, or null.
 */
export async function loadCurrentUser(id: number): Promise<CurrentUser | null> {
  return db().user.findFirst({
    where: { id, isActive: true },
    select: { id: true, email: true, name: true, isSuperuser: true, language: true, mustChangePassword: true },
  });
}
