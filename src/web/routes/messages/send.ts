import type { Request, Response } from 'express';
import { responseStatusCounts } from '../../../db/counterReads.js';
import { ValidationError } from '../../../errors.js';
import type { PollRun } from '../../../generated/prisma/client.js';
import { msg } from '../../../i18n/msg.js';
import { MESSAGE_TEXT_MAX, sendToParticipants } from '../../../messages/messageSender.js';
import { can } from '../../../policies/index.js';
import { translateErrors } from '../../forms.js';
import { parseForm } from '../../middleware/validate.js';
import { contextRegionIds } from '../pollruns/visibility.js';
import { regionQuery } from './context.js';
import { loadPollRunInContext } from '../pollruns/scope.js';
import { MessagesCreateSchema } from './schema.js';

/** Where the form lives: the poll run's participation tab, in the same region context. */
function participationUrl(req: Request, pollRunId: number): string {
  const query = regionQuery(req);
  return `/pollruns/${pollRunId}/participation${query ? `?${query}` : ''}`;
}

function wantsJson(req: Request): boolean {
  return req.is('application/json') === 'application/json' || req.accepts(['html', 'json']) === 'json';
}

/**
 * POST /messages (spec §16.1): sends a message to the participants of a poll run that covers the
 * region context. Fetch callers get `{id, recipients}` (201); the participation tab's form gets a
 * flash and is sent back to the tab.
 */
export async function create(req: Request, res: Response) {
  const { data, errors } = parseForm(MessagesCreateSchema, req.body);
  if (!data) {
    if (wantsJson(req)) throw new ValidationError(errors);
    const pollRunId = Number((req.body as Record<string, unknown> | undefined)?.pollRunId);
    if (!Number.isInteger(pollRunId) || pollRunId <= 0) throw new ValidationError(errors);
    req.flash('danger', Object.values(translateErrors(errors, req.t)).join(' '));
    return res.redirect(303, participationUrl(req, pollRunId));
  }
  // Spec §16.1 step 1: a poll run listed in the region context and covering it, else 404.
  const { run } = await loadPollRunInContext(req, { covering: true, id: data.pollRunId });
  const outcome = await sendToParticipants(req.org!.id, {
    pollRunId: run.id,
    recipientGroup: data.recipientGroup,
    text: data.text,
    regionId: req.regions!.current?.id ?? null,
    regionIds: contextRegionIds(req.regions!),
    userId: req.user!.id,
  });
  if (wantsJson(req)) {
    if (!outcome.ok) throw new ValidationError({ recipientGroup: msg('Nobody here is in this group.') });
    return res.status(201).json({ id: outcome.messageId, recipients: outcome.recipients });
  }
  if (outcome.ok) req.flash('success', req.t('The message is being sent to {{count}} recipients.', { count: outcome.recipients }));
  else req.flash('info', req.t('Nobody here is in this group: no message was sent.'));
  res.redirect(303, participationUrl(req, run.id));
}

/**
 * What the participation tab shows of messages (views/partials/sendMessage.njk and
 * views/partials/reminderEffect.njk): the send form with the size of each recipient group, for
 * those who may send, and the effect-of-reminders chart. Call it from the tab's handler, once the
 * poll run is known to cover the region context, and spread the result into its locals.
 * @param req the request (region context loaded).
 * @param run the poll run the tab shows.
 * @param regionIds the regions whose responses the tab reads (§12.4).
 * @returns the `sendMessage` form (null when not offered) and the `reminderEffect` chart.
 */
export async function messageTabLocals(req: Request, run: PollRun, regionIds: number[]) {
  const query = regionQuery(req);
  const suffix = query ? `?${query}` : '';
  const reminderEffect = { src: `/pollruns/${run.id}/reminders.json${suffix}` };
  if (!can(req.actor!, 'messages:send')) return { sendMessage: null, reminderEffect };
  const counts = (await responseStatusCounts(req.org!.id, [run.id], { regionIds, reporterGroupId: 0 })).get(run.id)!;
  return {
    sendMessage: {
      action: `/messages${suffix}`,
      pollRunId: run.id,
      maxLength: MESSAGE_TEXT_MAX,
      groups: [
        { value: 'all', label: msg('All participants'), count: counts.E + counts.P + counts.C },
        { value: 'respondents', label: msg('Respondents'), count: counts.C },
        { value: 'non_respondents', label: msg('Non-respondents'), count: counts.E + counts.P },
      ],
    },
    reminderEffect,
  };
}
