import { Router } from 'express';
import { access } from '../../access.js';
import * as language from './language.js';
import * as passwordReset from './passwordReset.js';
import * as signIn from './signIn.js';

/** Sign-in, sign-out, password reset and the language switch: served on every host. */
export const authRouter = Router()
  .get('/login', access.public, signIn.show)
  .post('/login', access.public, signIn.create)
  .post('/logout', access.signedIn, signIn.destroy)
  .get('/password/forgot', access.public, passwordReset.forgotForm)
  .post('/password/forgot', access.public, passwordReset.forgot)
  .get('/password/reset/:token', access.public, passwordReset.resetForm)
  .post('/password/reset/:token', access.public, passwordReset.reset)
  .post('/language', access.public, language.update);
