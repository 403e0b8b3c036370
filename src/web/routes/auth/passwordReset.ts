import type { Request, Response } from 'express';
import { passwordProblem } from '../../../auth/passwords.js';
import { completePasswordReset, findPasswordReset, RESET_TOKEN_HOURS, startPasswordReset } from '../../../commands/passwordResetter.js';
import { env } from '../../../env.js';
import { queueMail } from '../../../mail/compose.js';
import { hostUrl } from '../../../tenancy/hosts.js';
import { translateErrors } from '../../forms.js';
import { parseForm } from '../../middleware/validate.js';
import { AuthForgotSchema, AuthResetParamsSchema, AuthResetSchema } from './schema.js';

/** GET /password/forgot */
export function forgotForm(_req: Request, res: Response) {
  res.render('pages/auth/forgot.njk', { values: {}, errors: {} });
}

/** POST /password/forgot: mails a reset link; answers the same whether or not the address exists. */
export async function forgot(req: Request, res: Response) {
  const { data, errors } = parseForm(AuthForgotSchema, req.body);
  if (!data) return res.render('pages/auth/forgot.njk', { values: req.body, errors: translateErrors(errors, req.t) });
  const started = await startPasswordReset(data.email);
  if (started) {
    const config = env();
    const link = hostUrl(config.publicScheme, config.BASE_HOST, null, `/password/reset/${started.token}`);
    await queueMail('passwordReset', started.user.email, started.user.language ?? req.language, { link, hours: RESET_TOKEN_HOURS });
  }
  req.flash('info', req.t('If an account uses that address, we have sent it a link to choose a new password.'));
  res.redirect(303, '/login');
}

/** GET /password/reset/:token */
export async function resetForm(req: Request, res: Response) {
  const params = AuthResetParamsSchema.safeParse(req.params);
  const reset = params.success ? await findPasswordReset(params.data.token) : null;
  res.render('pages/auth/reset.njk', { valid: Boolean(reset), errors: {} });
}

/** POST /password/reset/:token: sets the password and spends the token (it works once). */
export async function reset(req: Request, res: Response) {
  const params = AuthResetParamsSchema.safeParse(req.params);
  const found = params.success ? await findPasswordReset(params.data.token) : null;
  if (!params.success || !found) return res.status(400).render('pages/auth/reset.njk', { valid: false, errors: {} });
  const { data, errors } = parseForm(AuthResetSchema, req.body);
  const problem = data ? passwordProblem(data.password, found.user.email) : null;
  if (!data || problem) {
    const fieldErrors = errors ?? { password: problem! };
    return res.render('pages/auth/reset.njk', { valid: true, errors: translateErrors(fieldErrors, req.t) });
  }
  const changed = await completePasswordReset(params.data.token, data.password);
  if (!changed) return res.status(400).render('pages/auth/reset.njk', { valid: false, errors: {} });
  req.flash('success', req.t('Your password has been changed. Sign in with it now.'));
  res.redirect(303, '/login');
}
