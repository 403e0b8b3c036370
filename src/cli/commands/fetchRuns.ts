import { z } from 'zod';
import { db } from '../../db/client.js';
import { FETCH_REFUSALS, createRunFetch } from '../../pollruns/fetchPastCreator.js';
import { FetchPeriodSchema, type FetchPeriodUnit } from '../../pollruns/fetchPastPeriod.js';
import { runFetchPast } from '../../pollruns/fetchPastRunner.js';
import { CliError, parseFlags } from '../args.js';
import { findOrg } from '../orgFlag.js';

const UNITS: FetchPeriodUnit[] = ['days', 'hours', 'minutes'];

/**
 * Reads the period flags: exactly one of --days, --hours, --minutes, a whole number ≥ 1.
 * @returns the period.
 */
function period(flags: Partial<Record<FetchPeriodUnit, string>>) {
  const given = UNITS.filter((unit) => flags[unit] !== undefined);
  if (given.length !== 1) throw new CliError('--days, --hours or --minutes: give exactly one');
  const unit = given[0]!;
  const parsed = FetchPeriodSchema.safeParse({ amount: flags[unit], unit });
  if (!parsed.success) throw new CliError(`--${unit}: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

/** `tracpro fetch-runs --org SUB (--days N | --hours N | --minutes N) [--wait]` (spec §9.6) */
export async function fetchRuns(argv: string[]) {
  const flags = parseFlags(
    argv,
    { org: { type: 'string' }, days: { type: 'string' }, hours: { type: 'string' }, minutes: { type: 'string' }, wait: { type: 'boolean' } },
    z.object({ org: z.string({ error: 'is required' }), days: z.string().optional(), hours: z.string().optional(), minutes: z.string().optional(), wait: z.boolean().default(false) }),
  );
  const wanted = period(flags);
  const org = await findOrg(flags.org);
  const created = await createRunFetch(org, { period: wanted, requestedById: null, enqueue: !flags.wait });
  if (!created.ok) throw new CliError(`--org: ${FETCH_REFUSALS[created.reason]}`);
  const id = created.fetch.id;
  if (!flags.wait) return console.log(`Queued fetch ${id} of the runs of ${org.subdomain} changed in the last ${wanted.amount} ${wanted.unit}; a worker runs it.`);
  for (;;) {
    const outcome = await runFetchPast(org.id, id, { finalAttempt: true });
    if (outcome.status !== 'throttled') break;
    console.log(`RapidPro is throttling; continuing at ${outcome.resumeAt.toISOString()}`);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, outcome.resumeAt.getTime() - Date.now())));
  }
  const row = await db().runFetch.findUniqueOrThrow({ where: { id } });
  for (const line of row.log) console.log(line);
  if (row.status !== 'done') throw new CliError(`fetch ${id} failed: ${row.error ?? row.status}`);
}
