import { z } from 'zod';
import { FaultRuleSchema } from './faults.js';

/** One workspace served by the simulator; unset sizes fall back to the simulator-wide ones. */
export const WorkspaceOptionSchema = z.object({
  /** Short name used by control calls and archive URLs. */
  name: z.string().min(1),
  /** API token clients send as `Authorization: Token <token>`. */
  token: z.string().min(1),
  contacts: z.number().int().nonnegative().optional(),
  weeks: z.number().int().min(1).max(520).optional(),
  /** Anonymous workspace: URNs masked. */
  anon: z.boolean().default(false),
  /** Response shapes of current servers or of 2019-era servers (spec §10.1). */
  variant: z.enum(['current', 'legacy2019']).default('current'),
  definitionsFormat: z.enum(['goflow', 'legacy']).default('goflow'),
  /** Per-workspace rate like "2500/h", "5/min" or "off"; defaults to the simulator's. */
  throttle: z.string().optional(),
});

/** Options of {@link startSimulator}. */
export const SimulatorOptionsSchema = z.object({
  /** Port to listen on; 0 picks a free one. */
  port: z.number().int().min(0).max(65535).default(0),
  host: z.string().default('127.0.0.1'),
  seed: z.number().int().default(42),
  workspaces: z.array(WorkspaceOptionSchema).min(1).default([{ name: 'demo', token: 'demo'.padEnd(40, 'X'), anon: false, variant: 'current', definitionsFormat: 'goflow' }]),
  /** Contacts per workspace unless a workspace says otherwise. */
  contacts: z.number().int().nonnegative().default(5000),
  /** Weeks of generated history. */
  weeks: z.number().int().min(1).max(520).default(26),
  /** Virtual instant the clock starts at (end of the generated history). */
  now: z.string().datetime({ offset: true }).default('2024-07-01T09:00:00.000Z'),
  /** "frozen" or a real-time scale factor (60 ⇒ one real second is one virtual minute). */
  clock: z.union([z.literal('frozen'), z.number().positive()]).default('frozen'),
  /** Default rate per workspace and scope: "2500/h", "3600/h", "5/min", "off". */
  throttle: z.string().default('2500/h'),
  faults: z.array(FaultRuleSchema).default([]),
  /** Rows per page (250 on real servers; tests use 3). */
  pageSize: z.number().int().min(1).max(10_000).default(250),
  /** Runs older than this leave runs.json and appear in archives.json. */
  retentionDays: z.number().int().min(1).default(90),
  /** Virtual seconds before a deleted contact's runs and messages are purged. */
  deleteDelaySeconds: z.number().nonnegative().default(60),
  /** Whether scripted activity runs while the clock advances. */
  activity: z.boolean().default(true),
  /** Name of the one poll flow every weekly start uses (benchmarks); unset, the poll flows take turns. */
  weeklyFlow: z.string().optional(),
  /** Max request-log entries kept. */
  requestLogSize: z.number().int().positive().default(10_000),
});

/** Input accepted by {@link startSimulator} (defaults applied by the schema). */
export type SimulatorOptionsInput = z.input<typeof SimulatorOptionsSchema> & {
  /** pino-compatible logger; silent when absent. */
  logger?: SimulatorLogger;
};

export type SimulatorOptions = z.output<typeof SimulatorOptionsSchema>;

/** The logger methods the simulator uses. */
export interface SimulatorLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}
