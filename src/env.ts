import { z } from 'zod';
import { QUEUE_NAMES, type QueueName } from './jobs/queueNames.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every configuration variable, documented in README "Configuration". */
export const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** Host (with port when not 80/443) under which org subdomains live. */
    BASE_HOST: z
      .string()
      .regex(/^[a-z0-9.-]+(:\d+)?$/i, 'must be a host name with an optional port, e.g. tracpro.example.org')
      .default('tracpro.localhost:3000'),
    /** Scheme used in links sent by e-mail. */
    PUBLIC_SCHEME: z.enum(['http', 'https']).optional(),
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').default('redis://127.0.0.1:6379'),
    /** Prefix of every Redis key (sessions, limits, queues), so several deployments can share a Redis. */
    REDIS_PREFIX: z.string().regex(/^[\w:.-]+$/).default('tracpro'),
    SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    /** 32 bytes as 64 hex characters or base64; encrypts RapidPro API tokens at rest. */
    ENCRYPTION_KEY: z.string().optional(),
    SESSION_COOKIE_NAME: z.string().regex(/^[\w-]+$/).default('tracpro'),
    SESSION_MAX_AGE_HOURS: z.coerce.number().positive().default(24 * 14),
    COOKIE_SECURE: bool.optional(),
    /** Express "trust proxy": false, true, a hop count, or a list of addresses/subnets. */
    TRUST_PROXY: z.string().default('false'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
    /** smtp://user:pass@host:port, smtps://…, or "outbox" to keep mail in Postgres (/manage/outbox). */
    MAIL_URL: z.string().regex(/^(outbox|smtps?:\/\/.+)$/, 'must be "outbox" or an smtp:// URL').optional(),
    MAIL_FROM: z.string().optional(),
    PASSWORD_HASH_MEMORY_KIB: z.coerce.number().int().min(1024).default(19456),
    PASSWORD_HASH_TIME_COST: z.coerce.number().int().min(1).default(2),
    LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
    LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(100),
    LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
    /** The queues a worker process consumes, comma-separated (all by default): dedicated workers per queue when scaling out. */
    WORKER_QUEUES: z.string().default(QUEUE_NAMES.join(',')).transform((v, ctx) => {
      const names = v.split(',').map((q) => q.trim()).filter(Boolean);
      const unknown = names.filter((q) => !(QUEUE_NAMES as readonly string[]).includes(q));
      if (unknown.length || !names.length) ctx.addIssue({ code: 'custom', message: `must list queues among ${QUEUE_NAMES.join(', ')}` });
      return names as QueueName[];
    }),
    /** CPU priority (nice, 0–19) of a process that runs only the worker role: background work yields to web requests on a shared machine. */
    WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
    /** BullMQ job lock: a job of a killed worker is taken up again after about this long. */
    WORKER_LOCK_SECONDS: z.coerce.number().int().min(2).default(30),
    /** A worker that does not register the recurring job schedulers. */
    DISABLE_SCHEDULES: bool.default(false),
    /** RapidPro client: per-request timeout, first retry backoff, and the longest 429 wait done in-process (longer ones make the job yield). */
    RAPIDPRO_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
    RAPIDPRO_RETRY_BASE_MS: z.coerce.number().int().min(1).default(1_000),
    RAPIDPRO_THROTTLE_WAIT_MAX_MS: z.coerce.number().int().min(0).default(60_000),
    /** RapidPro's rate per scope (requests per hour); each org's budget is a share of it (org setting, default half). */
    RAPIDPRO_SERVER_RATE_PER_HOUR: z.coerce.number().int().min(1).default(2500),
    /** Turns the client-side request budget off (benchmarks against the simulator). */
    RAPIDPRO_BUDGET_OFF: bool.default(false),
    /** How long a sync job's lease lasts without renewal: a killed worker blocks its (org, resource) this long at most. */
    SYNC_LEASE_SECONDS: z.coerce.number().int().min(5).default(120),
    /** How far back the first inbox sync of an org reads RapidPro's messages (later syncs re-read the last 7 days). */
    INBOX_FIRST_IMPORT_DAYS: z.coerce.number().int().min(1).max(365).default(7),
    /** CSV exports with more rows than this run as a job (src/exports/limits.ts; default 50,000). */
    EXPORT_INLINE_ROW_LIMIT: z.coerce.number().int().min(0).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    if (!env.SECRET_KEY) ctx.addIssue({ code: 'custom', path: ['SECRET_KEY'], message: 'is required in production' });
    if (!env.ENCRYPTION_KEY) ctx.addIssue({ code: 'custom', path: ['ENCRYPTION_KEY'], message: 'is required in production' });
    if (!env.MAIL_URL) ctx.addIssue({ code: 'custom', path: ['MAIL_URL'], message: 'is required in production' });
  });

export type Env = z.infer<typeof EnvSchema> & {
  secretKey: string;
  encryptionKey: Buffer;
  cookieSecure: boolean;
  publicScheme: 'http' | 'https';
  mailUrl: string;
  mailFrom: string;
  /** BASE_HOST without its port: the cookie domain. */
  baseHostname: string;
  trustProxy: boolean | number | string;
  logLevel: string;
};

// Development only: fixed keys so a restart keeps sessions and encrypted tokens readable.
const DEV_SECRET = 'development-secret-key-not-for-production-use';
const DEV_ENCRYPTION_KEY = '0'.repeat(64);

/**
 * Parses the environment once; the only place that reads process.env.
 * @param source the variables (process.env by default).
 * @returns the validated configuration with derived values.
 * @throws Error with one line per bad variable.
 */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`);
    throw new Error(`Bad configuration. ${lines.join('; ')}`);
  }
  const env = result.data;
  const production = env.NODE_ENV === 'production';
  const encryptionKey = decodeKey(env.ENCRYPTION_KEY ?? DEV_ENCRYPTION_KEY);
  const cookieSecure = env.COOKIE_SECURE ?? production;
  const baseHostname = env.BASE_HOST.split(':')[0]!.toLowerCase();
  return {
    ...env,
    secretKey: env.SECRET_KEY ?? DEV_SECRET,
    encryptionKey,
    cookieSecure,
    publicScheme: env.PUBLIC_SCHEME ?? (cookieSecure ? 'https' : 'http'),
    mailUrl: env.MAIL_URL ?? 'outbox',
    mailFrom: env.MAIL_FROM ?? `TracPro <no-reply@${baseHostname}>`,
    baseHostname,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
  };
}

function decodeKey(value: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error('Bad configuration. ENCRYPTION_KEY: must be 32 bytes (64 hex characters or base64)');
  return key;
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

let cached: Env | undefined;

/**
 * The process configuration, parsed on first use.
 * @returns the validated configuration.
 */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}
