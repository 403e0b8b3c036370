import { closeDb } from '../db/client.js';
import { closeRedis } from '../db/redis.js';
import { closeQueues } from '../jobs/queues.js';
import { CliError } from './args.js';
import { aggregatesRebuild } from './commands/aggregates.js';
import { demoSeed } from './commands/demo.js';
import { fetchRuns } from './commands/fetchRuns.js';
import { migrate, migrationCreate } from './commands/migrate.js';
import { orgCreate, orgList } from './commands/org.js';
import { orgConfigure, sync } from './commands/sync.js';
import { userCreate } from './commands/user.js';

type Command = (argv: string[]) => Promise<void>;

/** Every CLI command; `tracpro help` lists them. */
const COMMANDS: Record<string, { run: Command; usage: string }> = {
  migrate: { run: migrate, usage: 'migrate                         apply pending database migrations' },
  'migration:create': { run: migrationCreate, usage: 'migration:create --name NAME    write a migration for schema.prisma changes' },
  'user:create': { run: userCreate, usage: 'user:create --email E --password P [--name N] [--superuser] [--org SUB --role admin|supervisor|viewer]' },
  'org:create': { run: orgCreate, usage: 'org:create --name N --subdomain SUB --api-url URL --api-token T [--timezone Z] [--languages en,fr] [--default-language fr]' },
  'org:list': { run: orgList, usage: 'org:list                        list organizations' },
  'org:configure': { run: orgConfigure, usage: 'org:configure --org SUB [--regions A,B] [--reporter-groups X,Y] [--polls "Flow A,Flow B"]   track RapidPro groups and flows (names or uuids)' },
  sync: { run: sync, usage: 'sync --org SUB [--only workspace,groups,fields,boundaries,contacts] [--wait]   sync now (--wait runs here and prints the counts)' },
  'aggregates:rebuild': { run: aggregatesRebuild, usage: 'aggregates:rebuild --org SUB [--check]   recompute the precomputed counters (--check only compares, exit 1 on a difference)' },
  'fetch-runs': { run: fetchRuns, usage: 'fetch-runs --org SUB (--days N | --hours N | --minutes N) [--wait]   read the runs of tracked polls changed in that period again (--wait runs here and prints the report)' },
  'demo:seed': { run: demoSeed, usage: 'demo:seed [--api-url URL] [--api-token T]   create or refresh the demo org and accounts' },
  simulator: {
    run: async (argv) => (await import('../rapidpro/simulator/cli.js')).runSimulatorCli(argv),
    usage: 'simulator --port 8001 --seed 42 --workspace demo:TOKEN [--contacts N] [--weeks N] [--clock x60] [--throttle 2500/h|off] [--faults …]',
  },
};

function usage(): string {
  return ['Usage: tracpro <command> [flags]', '', ...Object.values(COMMANDS).map((c) => `  ${c.usage}`)].join('\n');
}

async function main([name, ...argv]: string[]) {
  if (!name || name === 'help' || name === '--help') return console.log(usage());
  const command = COMMANDS[name];
  if (!command) throw new CliError(`Unknown command "${name}". Run "tracpro help" for the list.`);
  await command.run(argv);
}

try {
  await main(process.argv.slice(2));
  if (process.argv[2] !== 'simulator') await shutdown();
} catch (error) {
  const message = error instanceof CliError ? error.message : error instanceof Error ? error.message.split('\n')[0] : String(error);
  console.error(`tracpro: ${message}`);
  await shutdown();
  process.exit(1);
}

async function shutdown() {
  await Promise.allSettled([closeDb(), closeRedis(), closeQueues()]);
}
