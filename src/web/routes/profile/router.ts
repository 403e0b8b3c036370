import { Router, type Request, type Response } from 'express';
import { updateProfile } from '../../../commands/profileUpdater.js';
import { access } from '../../access.js';
import { translateErrors } from '../../forms.js';
import { parseForm } from '../../middleware/validate.js';
import { ProfileUpdateSchema } from './schema.js';

const PAGE = 'pages/profile/edit.njk';

function edit(req: Request, res: Response) {
  res.render(PAGE, { values: req.user, errors: {} });
}

async function update(req: Request, res: Response) {
  const { data, errors } = parseForm(ProfileUpdateSchema, req.body);
  const problems = data ? await updateProfile(req.user!.id, data) : errors;
  if (problems) return res.render(PAGE, { values: { ...req.body, mustChangePassword: req.user!.mustChangePassword }, errors: translateErrors(problems, req.t) });
  req.flash('success', req.t('Your profile has been saved.'));
  res.redirect(303, '/');
}

/** One's own profile: name, e-mail, language, password (spec §17.1, §4.4). */
export const profileRouter = Router()
  .get('/profile', access.signedIn, edit)
  .post('/profile', access.signedIn, update);
