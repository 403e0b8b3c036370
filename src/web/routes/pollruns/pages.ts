import type { Request, Response } from 'express';
import { restartNonRespondents, startPollRun } from '../../../commands/pollRunStarter.js';
import { HttpError, NotFoundError } from '../../../errors.js';
import { msg } from '../../../i18n/msg.js';
import { checkbox, translateErrors } from '../../forms.js';
import { parseForm } from '../../middleware/validate.js';
import { renderHome } from '../home/router.js';
import { PollRunStartSchema } from './schema.js';
import { loadPollRunInContext } from './scope.js';
import { startablePolls } from './startForm.js';

const INVALID_CHOICE = msg('Select a valid choice. That choice is not one of the available choices.');

/** POST /pollruns: starts a poll for one of the user's regions, then shows its progress on the participation tab (spec §17.8). */
export async function create(req: Request, res: Response) {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const values = { poll: String(body.poll ?? ''), region: String(body.region ?? ''), propagate: checkbox.parse(body.propagate) };
  const refuse = (errors: Record<string, string>) => renderHome(req, res.status(400), { values, errors: translateErrors(errors, req.t) });
  const { data, errors } = parseForm(PollRunStartSchema, body);
  if (!data) return refuse(errors);
  // A region outside the user's regions is one they may not know of (spec §4.3): 404, as for contacts.
  const region = req.regions!.tree.find((r) => r.id === data.region);
  if (!region) throw new NotFoundError();
  if (!req.org!.apiTokenEncrypted) return refuse({ form: msg('This organization is not connected to RapidPro yet.') });
  const polls = await startablePolls(req.org!.id);
  const poll = polls.find((p) => p.value === data.poll);
  if (!poll) return refuse({ poll: INVALID_CHOICE });

  const outcome = await startPollRun(req.org!.id, { pollId: poll.value, regionId: region.id, propagate: data.propagate, userId: req.user!.id });
  if (!outcome.ok) return refuse(outcome.reason === 'no-recipients' ? { region: msg('There are no active contacts in this region.') } : { poll: INVALID_CHOICE });
  req.flash('success', req.t('{{poll}} is being started for {{count}} contacts in {{region}}.', { poll: poll.label, count: outcome.recipients, region: region.name }));
  res.redirect(303, `/pollruns/${outcome.pollRunId}/participation`);
}

/** POST /pollruns/:id/restart: restarts the non-respondents of the current region context (§9.5). */
export async function restart(req: Request, res: Response) {
  const { run, restartable, restartRegionIds } = await loadPollRunInContext(req, { restart: true });
  if (!restartable) throw new HttpError(400, msg('Only the latest poll run started for this region can be restarted.'));
  const outcome = await restartNonRespondents(req.org!.id, { pollRunId: run.id, regionIds: restartRegionIds, userId: req.user!.id });
  if (outcome.ok) req.flash('success', req.t('The poll is being restarted for {{count}} contacts.', { count: outcome.recipients }));
  else if (outcome.reason === 'busy') req.flash('warning', req.t('This poll run is still being sent. Try again once it is done.'));
  else req.flash('info', req.t('Nobody to restart: every contact here has completed the poll.'));
  res.redirect(303, `/pollruns/${run.id}/participation`);
}
