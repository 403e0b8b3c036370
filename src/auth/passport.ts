import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { db } from '../db/client.js';
import { loadCurrentUser, type CurrentUser } from './currentUser.js';
import { verifyPassword } from './passwords.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends CurrentUser {}
  }
}

/**
 * Registers the local (e-mail + password) strategy and session (de)serialisation.
 * @returns the configured passport instance.
 */
export function configurePassport(): passport.PassportStatic {
  passport.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) => {
      authenticate(email, password).then((user) => done(null, user ?? false), done);
    }),
  );
  passport.serializeUser((user, done) => done(null, user.id));
  passport.deserializeUser((id: number, done) => {
    loadCurrentUser(id).then((user) => done(null, user ?? false), done);
  });
  return passport;
}

/**
 * Checks an e-mail and password; unknown, inactive and wrong all look the same to the caller.
 * @param email the e-mail typed.
 * @param password the password typed.
 * @returns the user, or null.
 */
export async function authenticate(email: string, password: string): Promise<CurrentUser | null> {
  const user = await db().user.findUnique({ where: { email: email.trim().toLowerCase() } });
  if (!user || !user.isActive) return null;
  if (!(await verifyPassword(user.passwordHash, password))) return null;
  await db().user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
  return loadCurrentUser(user.id);
}
