import { z } from 'zod';
import { DEMO_ACCOUNTS, seedDemo } from '../../commands/demoSeeder.js';
import { parseFlags } from '../args.js';

/** `tracpro demo:seed [--api-url URL] [--api-token T]`: the demo org and its accounts (idempotent). */
export async function demoSeed(argv: string[]) {
  const flags = parseFlags(
    argv,
    { 'api-url': { type: 'string' }, 'api-token': { type: 'string' } },
    z.object({
      'api-url': z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8001'),
      'api-token': z.string().regex(/^\w+$/, 'letters and digits only').default('demo0token0000000000000000000000000000000'),
    }),
  );
  const orgId = await seedDemo({ apiUrl: flags['api-url'], apiToken: flags['api-token'] });
  console.log(`Demo org ${orgId} is ready. Accounts:`);
  for (const account of DEMO_ACCOUNTS) console.log(`  ${account.role.padEnd(11)} ${account.email.padEnd(30)} ${account.password}`);
}
