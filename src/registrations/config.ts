import { z } from 'zod';
import { env } from '../env.js';
import { open, seal } from '../lib/secretBox.js';
import { orgDb } from '../tenancy/orgDb.js';

const slugList = z.array(z.string().trim().min(1).max(64).regex(/^[\w-]+$/)).max(100);
const weeks = z.object({ min: z.number().int().min(-1).max(200), max: z.number().int().min(-1).max(200) }).refine((w) => w.min <= w.max, { message: 'min must not exceed max' });

/** Where an external service is reached: the local implementation (default) or over HTTP. */
export const AdapterSettingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local') }),
  z.object({
    kind: z.literal('http'),
    url: z.url(),
    /** The service token, sealed with ENCRYPTION_KEY (never stored in clear). */
    tokenSealed: z.string().optional(),
  }),
]);

/** A metric sink: local MetricPoint rows, the HTTP metrics API, or Graphite (plaintext protocol or AMQP). */
export const SinkSettingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local') }),
  z.object({ kind: z.literal('http'), url: z.url(), username: z.string().default(''), passwordSealed: z.string().optional() }),
  z.object({ kind: z.literal('graphite'), host: z.string().min(1), port: z.number().int().min(1).max(65535) }),
  z.object({
    kind: z.literal('amqp'),
    /** The broker's address without its password, as the settings page shows it. */
    url: z.url({ protocol: /^amqps?$/, hostname: /./ }),
    /** The full address, password included, sealed with ENCRYPTION_KEY. */
    urlSealed: z.string().min(1),
    exchange: z.string().min(1).max(255).regex(/^[\w.-]+$/).default('graphite'),
  }),
]);

/** The per-org configuration of spec §2, with HelloMama's defaults. */
export const RegistrationConfigSchema = z.object({
  msgTypes: slugList.default(['text', 'audio']),
  receiverTypes: slugList.default(['mother_father', 'mother_only', 'father_only', 'mother_family', 'mother_friend', 'friend_only', 'family_only']),
  languages: slugList.default(['eng_NG', 'hau_NG', 'ibo_NG', 'yor_NG', 'pcm_NG']),
  states: slugList.default(['ebonyi', 'cross_river', 'abuja']),
  roles: slugList.default(['oic', 'cv', 'midwife', 'chew', 'mama']),
  optoutReasons: slugList.default(['miscarriage', 'stillborn', 'baby_death', 'not_useful', 'other']),
  optoutSources: slugList.default(['sms', 'ussd', 'voice']),
  lossReasons: slugList.default(['miscarriage', 'stillborn', 'baby_died']),
  householdOnlyReceivers: slugList.default(['father_only', 'friend_only', 'family_only']),
  prebirthWeeks: weeks.default({ min: 10, max: 42 }),
  postbirthWeeks: weeks.default({ min: 0, max: 52 }),
  timezone: z.string().default('UTC'),
  welcomeText: z.string().max(500).default('Welcome to HelloMama!'),
  publicAssetBaseUrl: z.string().max(500).default('http://localhost/static/audio'),
  metricPrefix: z.string().max(64).regex(/^[\w.-]*$/).default(''),
  /** Set by the demo seeder: a worker keeps adding a few registrations (the demo org only). */
  demoStream: z.boolean().default(false),
  adapters: z
    .object({
      identityStore: AdapterSettingSchema.default({ kind: 'local' }),
      messaging: AdapterSettingSchema.default({ kind: 'local' }),
      sender: AdapterSettingSchema.default({ kind: 'local' }),
      sinks: z.array(SinkSettingSchema).max(5).default([{ kind: 'local' }]),
    })
    .default({ identityStore: { kind: 'local' }, messaging: { kind: 'local' }, sender: { kind: 'local' }, sinks: [{ kind: 'local' }] }),
});
export type RegistrationConfig = z.infer<typeof RegistrationConfigSchema>;
export type AdapterSetting = z.infer<typeof AdapterSettingSchema>;
export type SinkSetting = z.infer<typeof SinkSettingSchema>;

/** HelloMama's defaults (spec §2). */
export const DEFAULT_CONFIG: RegistrationConfig = RegistrationConfigSchema.parse({});

/**
 * Reads an org's registration configuration; a stored value that no longer parses falls back to
 * the defaults key by key rather than breaking intake.
 * @param orgId the org.
 * @returns the configuration.
 */
export async function loadConfig(orgId: number): Promise<RegistrationConfig> {
  const cached = cache.get(orgId);
  if (cached && cached.until > Date.now()) return cached.config;
  const row = await orgDb(orgId).registrationConfig.findFirst();
  const parsed = RegistrationConfigSchema.safeParse(row?.config ?? {});
  const config = parsed.success ? parsed.data : DEFAULT_CONFIG;
  cache.set(orgId, { config, until: Date.now() + CACHE_MS });
  return config;
}

// Intake reads the configuration on every request; other processes see a change within CACHE_MS.
const CACHE_MS = 5_000;
const cache = new Map<number, { config: RegistrationConfig; until: number }>();

/**
 * Stores an org's registration configuration (validated).
 * @param orgId the org.
 * @param config the new configuration.
 * @returns the stored configuration.
 */
export async function saveConfig(orgId: number, config: z.input<typeof RegistrationConfigSchema>): Promise<RegistrationConfig> {
  const parsed = RegistrationConfigSchema.parse(config);
  const scoped = orgDb(orgId).registrationConfig;
  const existing = await scoped.findFirst();
  if (existing) await scoped.updateMany({ where: { id: existing.id }, data: { config: parsed } });
  else await scoped.create({ data: { orgId, config: parsed } });
  cache.delete(orgId);
  return parsed;
}

/**
 * Seals a secret for the configuration (adapter tokens, sink passwords).
 * @param plain the secret.
 * @returns the sealed text.
 */
export function sealSecret(plain: string): string {
  return seal(env().encryptionKey, plain);
}

/**
 * Opens a sealed secret of the configuration.
 * @param sealed the sealed text, if any.
 * @returns the secret, or '' when none is set.
 */
export function openSecret(sealed: string | undefined): string {
  return sealed ? open(env().encryptionKey, sealed) : '';
}
