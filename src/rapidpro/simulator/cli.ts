import { parseArgs } from 'node:util';
import { z } from 'zod';
import { parseFaultList } from './faults.js';
import { startSimulator } from './index.js';
import { parseRate } from './throttle.js';

const FlagsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8001),
  host: z.string().default('127.0.0.1'),
  seed: z.coerce.number().int().default(42),
  workspace: z.array(z.string().regex(/^[^:]+:.+$/, 'use --workspace name:token')).default(['demo:'.padEnd(45, 'X')]),
  contacts: z.coerce.number().int().nonnegative().default(5000),
  weeks: z.coerce.number().int().min(1).max(520).default(26),
  clock: z.string().regex(/^(frozen|x\d+(\.\d+)?)$/, 'use --clock frozen or --clock x60').default('frozen'),
  throttle: z.string().default('2500/h'),
  faults: z.string().default(''),
  'page-size': z.coerce.number().int().min(1).default(250),
  'retention-days': z.coerce.number().int().min(1).default(90),
  now: z.string().optional(),
});

/**
 * Parses `tracpro simulator` flags and starts the simulator, printing one line with its URL.
 * Flags: --port --host --seed --workspace name:token (repeatable) --contacts --weeks
 * --clock frozen|x60 --throttle 2500/h|off --faults kind[@path][:N|:P%][/ms],… --page-size
 * --retention-days --now ISO.
 * @param argv arguments after the sub-command.
 * @throws Error with a one-line message on bad flags.
 */
export async function runSimulatorCli(argv: string[]): Promise<void> {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' }, host: { type: 'string' }, seed: { type: 'string' }, workspace: { type: 'string', multiple: true },
        contacts: { type: 'string' }, weeks: { type: 'string' }, clock: { type: 'string' }, throttle: { type: 'string' },
        faults: { type: 'string' }, 'page-size': { type: 'string' }, 'retention-days': { type: 'string' }, now: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new Error(`simulator: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  const parsed = FlagsSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`simulator: --${issue.path.join('.')}: ${issue.message}`);
  }
  const flags = parsed.data;
  let faults;
  try {
    parseRate(flags.throttle);
    faults = parseFaultList(flags.faults);
  } catch (error) {
    throw new Error(`simulator: ${(error as Error).message}`);
  }
  const workspaces = flags.workspace.map((spec) => {
    const at = spec.indexOf(':');
    return { name: spec.slice(0, at), token: spec.slice(at + 1) };
  });
  const sim = await startSimulator({
    port: flags.port,
    host: flags.host,
    seed: flags.seed,
    workspaces,
    contacts: flags.contacts,
    weeks: flags.weeks,
    clock: flags.clock === 'frozen' ? 'frozen' : Number(flags.clock.slice(1)),
    throttle: flags.throttle,
    faults,
    pageSize: flags['page-size'],
    retentionDays: flags['retention-days'],
    ...(flags.now ? { now: flags.now } : {}),
  });
  console.log(`RapidPro simulator listening on ${sim.url} (workspaces: ${workspaces.map((w) => w.name).join(', ')}; clock ${flags.clock})`);
}
