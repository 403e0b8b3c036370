import { Router, type Request, type Response } from 'express';
import { RapidProClient, RapidProError } from '../../../rapidpro/client/index.js';
import { FETCH_REFUSALS, createRunFetch } from '../../../pollruns/fetchPastCreator.js';
import { estimateFetch, hourlyBudget, loadEstimateBasis, serverSince } from '../../../pollruns/fetchPastEstimate.js';
import { FetchPeriodSchema, periodMs } from '../../../pollruns/fetchPastPeriod.js';
import { presentEstimate, presentRunFetch } from '../../../pollruns/fetchPastPresent.js';
import { apiToken, rapidProFor } from '../../../sync/rapidProFor.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { access } from '../../access.js';
import { translateErrors } from '../../forms.js';
import { parseForm } from '../../middleware/validate.js';

/** Fetches listed on the page. */
const LATEST = 10;
/** An estimate answers within this, or says RapidPro could not be asked. */
const ESTIMATE_TIMEOUT_MS = 8_000;

/** OrgFetchRunsSchema: the form's period (days or hours on the page). */
export const OrgFetchRunsSchema = FetchPeriodSchema;

async function latest(req: Request) {
  const rows = await orgDb(req.org!.id).runFetch.findMany({ orderBy: { createdAt: 'desc' }, take: LATEST });
  return rows.map((row) => presentRunFetch(row, req.t));
}

async function render(req: Request, res: Response, values: Record<string, unknown>, errors: Record<string, string>) {
  res.render('pages/org/fetch-runs.njk', { values, errors, fetches: await latest(req), hasToken: Boolean(apiToken(req.org!)) });
}

/** GET /org/fetch-runs: the form, with its estimate (static/js/fetch-runs.js), and the latest fetches. */
async function index(req: Request, res: Response) {
  await render(req, res, { amount: '1', unit: 'days' }, {});
}

/** POST /org/fetch-runs: records the fetch and queues its job; the page then shows its progress. */
async function create(req: Request, res: Response) {
  const { data, errors } = parseForm(OrgFetchRunsSchema, req.body);
  if (!data) return render(req, res.status(400), req.body, translateErrors(errors, req.t));
  const created = await createRunFetch(req.org!, { period: data, requestedById: req.user!.id });
  if (!created.ok) return render(req, res.status(409), req.body, { form: req.t(FETCH_REFUSALS[created.reason]) });
  req.flash('success', req.t('Fetch scheduled; you will get an e-mail with its report when it is done.'));
  res.redirect(303, '/org/fetch-runs');
}

/** GET /org/fetch-runs.json: progress and reports of the latest fetches (the page polls it). */
async function progress(req: Request, res: Response) {
  res.json({ fetches: await latest(req) });
}

/**
 * GET /org/fetch-runs/estimate.json?amount=N&unit=days|hours: what a fetch would cost. Asks
 * RapidPro once (flows and archives listings, cached a few minutes), quickly and without retries.
 */
async function estimate(req: Request, res: Response) {
  const org = req.org!;
  const { data, errors } = parseForm(OrgFetchRunsSchema, req.query);
  if (!data) return res.status(400).json({ error: Object.values(translateErrors(errors, req.t))[0] });
  if (!apiToken(org)) return res.status(409).json({ error: req.t(FETCH_REFUSALS['no-token']) });
  const shared = rapidProFor(org);
  // No retries, and no waiting for the org's budget (its only sleep): a page request must not hang.
  const client = new RapidProClient({
    ...shared.transport.options,
    timeoutMs: ESTIMATE_TIMEOUT_MS,
    retry: { maxAttempts: 1, maxThrottles: 0 },
    sleep: () => Promise.reject(new RapidProError('throttled', req.t('The hourly request budget is used up; try again later.'), org.apiUrl)),
  });
  try {
    const basis = await loadEstimateBasis(org.id, client);
    const polls = await orgDb(org.id).poll.findMany({ where: { isActive: true }, select: { flowUuid: true } });
    const since = serverSince(basis, new Date(Date.now() - periodMs(data)));
    res.json(presentEstimate(estimateFetch(basis, polls.map((p) => p.flowUuid), since, hourlyBudget(org)), req.t));
  } catch (error) {
    if (!(error instanceof RapidProError)) throw error;
    res.status(502).json({ error: req.t('RapidPro could not be asked for an estimate: {{problem}}', { problem: error.message }) });
  }
}

/** "Fetch past runs" for administrators (spec §9.6, §17.3). */
export const fetchRunsRouter = Router()
  .get('/org/fetch-runs', access.member('org:manage'), index)
  .post('/org/fetch-runs', access.member('org:manage'), create)
  .get('/org/fetch-runs.json', access.member('org:manage'), progress)
  .get('/org/fetch-runs/estimate.json', access.member('org:manage'), estimate);
