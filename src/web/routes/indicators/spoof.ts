import type { Request, Response } from 'express';
import { clearSpoofedPollRuns, writeSpoofedPollRuns } from '../../../db/spoofData.js';
import { questionLabel } from '../../../indicators/definition.js';
import { spoofLimitErrors, SpoofLimits, spoofPlan } from '../../../indicators/spoof.js';
import { msg } from '../../../i18n/msg.js';
import { contactRegionFilter } from '../../../regions/context.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { readOrgSettings } from '../../../tenancy/orgSettings.js';
import { translateErrors } from '../../forms.js';
import { parseForm } from '../../middleware/validate.js';
import { SpoofFormSchema, type SpoofFormInput } from './schema.js';

const INVALID_CHOICE = msg('Select a valid choice. That choice is not one of the available choices.');

/** Spoof data exists only where the org allows it (spec §14.7); elsewhere its pages lead back to the list. */
function spoofAllowed(req: Request, res: Response): boolean {
  if (readOrgSettings(req.org!.settings).showSpoofData) return true;
  res.redirect(303, '/indicators');
  return false;
}

/** The questions of tracked polls, labelled "<poll>: <question>" and sorted. */
async function questionChoices(orgId: number) {
  const questions = await orgDb(orgId).question.findMany({
    where: { isActive: true, isMissingInRapidPro: false, poll: { isActive: true } },
    include: { poll: true },
  });
  return questions
    .map((q) => ({ value: String(q.id), label: questionLabel(q.poll, q), pollId: q.pollId }))
    .sort((a, b) => a.label.localeCompare(b.label, undefined, { sensitivity: 'base' }));
}

/** Active contacts the user may reach (their regions), by name; a long list is cut at a limit. */
function contactChoices(req: Request, ids: number[] = []) {
  return orgDb(req.org!.id).contact.findMany({
    where: { isActive: true, ...contactRegionFilter(req.regions!, 'access'), ...(ids.length ? { id: { in: ids } } : {}) },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take: ids.length || SpoofLimits.contactChoices,
    select: { id: true, name: true, urn: true },
  });
}

async function renderForm(req: Request, res: Response, values: Record<string, unknown>, errors: Record<string, string>) {
  const [contacts, questions] = await Promise.all([contactChoices(req), questionChoices(req.org!.id)]);
  const chosen = [values.contacts ?? []].flat().map(String);
  res.render('pages/indicators/spoof.njk', {
    values, errors, chosen, questions,
    contacts: contacts.map((c) => ({ value: String(c.id), label: c.name || c.urn || String(c.id) })),
    contactLimit: contacts.length >= SpoofLimits.contactChoices ? SpoofLimits.contactChoices : null,
  });
}

/** GET /indicators/spoof */
export async function form(req: Request, res: Response) {
  if (!spoofAllowed(req, res)) return;
  await renderForm(req, res, { baselineMin: '0', baselineMax: '100', followUpMin: '0', followUpMax: '100' }, {});
}

/** Checks the chosen contacts and questions against the org and the user's regions. */
async function checkChoices(req: Request, data: SpoofFormInput) {
  const questions = new Map((await questionChoices(req.org!.id)).map((q) => [Number(q.value), q.pollId]));
  const contacts = await contactChoices(req, data.contacts);
  const errors: Record<string, string> = { ...spoofLimitErrors({ contactIds: data.contacts, startDate: data.startDate, endDate: data.endDate }) };
  if (contacts.length !== new Set(data.contacts).size) errors.contacts = INVALID_CHOICE;
  if (!questions.has(data.baselineQuestion)) errors.baselineQuestion = INVALID_CHOICE;
  if (!questions.has(data.followUpQuestion)) errors.followUpQuestion = INVALID_CHOICE;
  return { errors, questions, contactIds: contacts.map((c) => c.id) };
}

/** POST /indicators/spoof: writes the spoofed poll runs in one transaction, then back to the list. */
export async function create(req: Request, res: Response) {
  if (!spoofAllowed(req, res)) return;
  const { data, errors } = parseForm(SpoofFormSchema, req.body);
  const checked = data ? await checkChoices(req, data) : null;
  const problems = checked?.errors ?? errors ?? {};
  if (!data || !checked || Object.keys(problems).length) {
    res.status(400);
    return renderForm(req, res, req.body as Record<string, unknown>, translateErrors(problems, req.t));
  }
  const runs = spoofPlan({
    contactIds: checked.contactIds,
    startDate: data.startDate,
    endDate: data.endDate,
    baseline: { pollId: checked.questions.get(data.baselineQuestion)!, questionId: data.baselineQuestion, min: data.baselineMin, max: data.baselineMax },
    followUp: { pollId: checked.questions.get(data.followUpQuestion)!, questionId: data.followUpQuestion, min: data.followUpMin, max: data.followUpMax },
  }, { timeZone: req.org!.timezone, now: new Date() });
  const written = await writeSpoofedPollRuns(req.org!.id, req.user!.id, runs);
  req.flash('success', req.t('Spoof data created: {{pollRuns}} poll runs, {{responses}} responses.', { pollRuns: written.pollRuns, responses: written.responses }));
  res.redirect(303, '/indicators');
}

/** POST /indicators/spoof/clear: deletes every spoofed poll run with its responses and answers. */
export async function clear(req: Request, res: Response) {
  if (!spoofAllowed(req, res)) return;
  const cleared = await clearSpoofedPollRuns(req.org!.id);
  req.flash('success', req.t('Spoof data cleared: {{pollRuns}} poll runs, {{responses}} responses.', { pollRuns: cleared.pollRuns, responses: cleared.responses }));
  res.redirect(303, '/indicators');
}
