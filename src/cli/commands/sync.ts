import { z } from 'zod';
import { selectGroups } from '../../commands/groupSelector.js';
import { db } from '../../db/client.js';
import { recomputeContactMembership } from '../../db/contactSync.js';
import { syncTask } from '../../jobs/tasks/SyncTask.js';
import { SYNC_RESOURCE_NAMES, type SyncCounts, type SyncResource } from '../../sync/resources.js';
import { runSync } from '../../sync/runSync.js';
import { selectPolls } from '../../polls/pollSelector.js';
import { SYNCERS } from '../../sync/syncers.js';
import { CliError, parseFlags } from '../args.js';
import { findOrg } from '../orgFlag.js';

const list = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .optional();

function formatCounts(counts: SyncCounts): string {
  return (['created', 'updated', 'deactivated', 'deleted', 'failed'] as const).map((k) => `${k} ${counts[k] ?? 0}`).join(', ');
}

/**
 * Names `--only` takes besides the resources themselves, as users say them: `polls` are the flows
 * sync (flows → polls and questions); `runs` is the history walk of newly tracked polls, then the
 * incremental stream, so a poll tracked a moment ago has its runs too.
 */
const ALIASES: Record<string, SyncResource[]> = { polls: ['flows'], runs: ['runs-backfill', 'runs'] };
const ONLY_NAMES = [...new Set([...SYNC_RESOURCE_NAMES, ...Object.keys(ALIASES)])];
const EVERYTHING: SyncResource[] = ['workspace', 'groups', 'fields', 'flows', 'boundaries', 'contacts', 'runs-backfill', 'runs', 'inbox'];

/** `tracpro sync --org SUB [--only groups,fields,polls,boundaries,contacts,runs,inbox] [--wait]` */
export async function sync(argv: string[]) {
  const flags = parseFlags(
    argv,
    { org: { type: 'string' }, only: { type: 'string' }, wait: { type: 'boolean' } },
    z.object({
      org: z.string({ error: 'is required' }),
      only: list.refine((l) => !l || l.every((r) => ONLY_NAMES.includes(r)), `use some of ${ONLY_NAMES.join(',')}`),
      wait: z.boolean().default(false),
    }),
  );
  const org = await findOrg(flags.org);
  if (!org.apiTokenEncrypted) throw new CliError(`--org: ${org.subdomain} has no RapidPro API token`);
  const asked = flags.only?.flatMap((name) => ALIASES[name] ?? [name as SyncResource]);
  // In the order a first sync needs them (contacts before runs), each once.
  const resources = EVERYTHING.filter((r) => !asked || asked.includes(r));
  if (!flags.wait) {
    for (const resource of resources) await syncTask.enqueue(org.id, resource, true);
    return console.log(`Queued ${resources.join(', ')} for ${org.subdomain}; a worker runs them.`);
  }
  for (const resource of resources) {
    const outcome = await runSync(org.id, SYNCERS[resource], { force: true });
    if (outcome.status === 'done') console.log(`${resource}: ${formatCounts(outcome.counts)}`);
    else if (outcome.status === 'throttled') throw new CliError(`${resource}: RapidPro is throttling; try again after ${outcome.retryAt.toISOString()}`);
    else if (outcome.status === 'invalid-token') throw new CliError(`${resource}: RapidPro refused the API token (${outcome.message})`);
    else throw new CliError(`${resource}: skipped (${outcome.reason === 'running' ? 'another sync of it is running' : outcome.reason})`);
  }
}

/** `tracpro org:configure --org SUB [--regions A,B] [--reporter-groups X,Y] [--polls "Flow A,Flow B"]` (names or uuids) */
export async function orgConfigure(argv: string[]) {
  const flags = parseFlags(
    argv,
    { org: { type: 'string' }, regions: { type: 'string' }, 'reporter-groups': { type: 'string' }, polls: { type: 'string' } },
    z.object({ org: z.string({ error: 'is required' }), regions: list, 'reporter-groups': list, polls: list }),
  );
  const org = await findOrg(flags.org);
  if (!flags.regions && !flags['reporter-groups'] && !flags.polls) throw new CliError('--regions, --reporter-groups or --polls: give at least one');
  if (flags.polls) await configurePolls(org.id, org.subdomain, flags.polls);
  if (!flags.regions && !flags['reporter-groups']) return;
  const outcome = await runSync(org.id, SYNCERS.groups, { force: true });
  if (outcome.status !== 'done') throw new CliError(`could not read the RapidPro groups of ${org.subdomain} (${outcome.status})`);
  const groups = await db().rapidProGroup.findMany({ where: { orgId: org.id } });
  const resolve = (flag: string, names: string[]) =>
    names.map((name) => {
      const group = groups.find((g) => g.uuid === name || g.name.toLowerCase() === name.toLowerCase());
      if (!group) throw new CliError(`--${flag}: RapidPro has no group "${name}"`);
      return group.uuid;
    });
  const regions = flags.regions ? resolve('regions', flags.regions) : null;
  const reporterGroups = flags['reporter-groups'] ? resolve('reporter-groups', flags['reporter-groups']) : null;
  if (regions) console.log(`Regions: ${(await selectGroups(org.id, 'regions', regions)).tracked} tracked`);
  if (reporterGroups) console.log(`Reporter groups: ${(await selectGroups(org.id, 'reporterGroups', reporterGroups)).tracked} tracked`);
  const changed = await db().$transaction((tx) => recomputeContactMembership(tx, org.id), { timeout: 10 * 60_000 });
  console.log(`Contacts re-mapped: ${changed} changed`);
}

/** Tracks exactly the named flows (names or uuids), then fetches their questions. */
async function configurePolls(orgId: number, subdomain: string, names: string[]) {
  const outcome = await runSync(orgId, SYNCERS.flows, { force: true });
  if (outcome.status !== 'done') throw new CliError(`could not read the RapidPro flows of ${subdomain} (${outcome.status})`);
  const polls = await db().poll.findMany({ where: { orgId, isMissingInRapidPro: false } });
  const ids = names.map((name) => {
    const poll = polls.find((p) => p.flowUuid === name || p.rapidproName.toLowerCase() === name.toLowerCase());
    if (!poll) throw new CliError(`--polls: RapidPro has no flow "${name}" that can be a poll`);
    return poll.id;
  });
  const selection = await selectPolls(orgId, ids);
  if (!selection.ok) throw new CliError('--polls: the flows changed while saving; try again');
  const questions = await runSync(orgId, SYNCERS.flows, { force: true });
  console.log(`Polls: ${selection.tracked} tracked${questions.status === 'done' ? '' : ` (questions not fetched yet: ${questions.status})`}`);
}
