import { z } from 'zod';
import { checkCounters, rebuildCounters } from '../../db/counters.js';
import { CliError, parseFlags } from '../args.js';
import { findOrg } from '../orgFlag.js';

/** `tracpro aggregates:rebuild --org SUB [--check]`: recomputes an org's counters, or only compares them. */
export async function aggregatesRebuild(argv: string[]) {
  const flags = parseFlags(
    argv,
    { org: { type: 'string' }, check: { type: 'boolean' } },
    z.object({ org: z.string({ error: 'is required' }), check: z.boolean().default(false) }),
  );
  const org = await findOrg(flags.org);
  if (!flags.check) {
    const written = await rebuildCounters(org.id);
    return console.log(`Rebuilt counters of ${org.subdomain}: ${Object.entries(written).map(([table, n]) => `${table} ${n}`).join(', ')}`);
  }
  const { mismatched, samples } = await checkCounters(org.id, 5);
  if (!mismatched) return console.log(`Counters of ${org.subdomain} match their data.`);
  for (const s of samples) console.error(`${s.table} ${JSON.stringify(s.key)}: stored ${JSON.stringify(s.stored)}, expected ${JSON.stringify(s.expected)}`);
  throw new CliError(`${mismatched} counters of ${org.subdomain} differ from their data; run "tracpro aggregates:rebuild --org ${org.subdomain}"`);
}
