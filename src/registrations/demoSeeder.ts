import { randomUUID } from 'node:crypto';
import type { RegistrationSource } from '../generated/prisma/client.js';
import { orgDb } from '../tenancy/orgDb.js';
import { createChange, type ChangeAction } from './commands/changeCreator.js';
import { receiveOptout } from './commands/optoutReceiver.js';
import { createRegistration } from './commands/registrationCreator.js';
import { createSource, DEFAULT_SCOPES, issueToken } from './commands/sourceCreator.js';
import { DEFAULT_CONFIG, loadConfig, saveConfig } from './config.js';
import type { Authority, Stage } from './validation.js';

/** How many registrations the demo org starts with. */
export const DEMO_REGISTRATIONS = 150;
/** At most this many registrations per run of the demo stream. */
export const DEMO_STREAM_MAX = 3;

const uuid = () => randomUUID();
const WEEK_MS = 7 * 86_400_000;
const compactDate = (ms: number) => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');

/** The i-th demo registration: stages, receivers, languages and message types in turn, by the given operator. */
function demoRegistration(i: number, operatorId: string, now: number): { stage: Stage; motherId: string; data: Record<string, unknown> } {
  const mother = uuid();
  const receiver = DEFAULT_CONFIG.receiverTypes[i % DEFAULT_CONFIG.receiverTypes.length]!;
  const stage: Stage = i % 6 === 5 ? 'postbirth' : 'prebirth';
  return {
    stage, motherId: mother,
    data: {
      operator_id: operatorId, msg_receiver: receiver, receiver_id: receiver === 'mother_only' ? mother : uuid(),
      language: DEFAULT_CONFIG.languages[i % 5], msg_type: i % 4 ? 'text' : 'audio', ...(i % 4 ? {} : { voice_days: 'mon_wed', voice_times: '9_11' }),
      ...(stage === 'prebirth' ? { last_period_date: compactDate(now - (8 + (i % 36)) * WEEK_MS) } : { baby_dob: compactDate(now - (i % 50) * WEEK_MS) }),
    },
  };
}

const CHANGES: ChangeAction[] = ['change_language', 'change_messaging', 'change_baby', 'change_loss'];
const OPTOUT_SOURCES = ['sms_public', 'ussd_public', 'voice_ivr'];

/** A change or an opt-out (in turn, by i) about a demo mother, so the changes and opt-outs panels have data. */
async function demoFollowUp(orgId: number, source: RegistrationSource, motherId: string, i: number, at: Date): Promise<void> {
  if (i % 2) {
    const action = CHANGES[i % CHANGES.length]!;
    const data = action === 'change_language' ? { new_language: 'hau_NG' } : action === 'change_messaging' ? { msg_type: 'text' } : {};
    const change = await createChange(orgId, { motherId, action, data }, 'demo', source.id);
    await orgDb(orgId).registrationChange.updateMany({ where: { id: change.id }, data: { createdAt: at } });
  } else {
    await receiveOptout(orgId, { identity: motherId, reason: DEFAULT_CONFIG.optoutReasons[i % 5]!, requestSource: OPTOUT_SOURCES[i % 3]! }, at);
  }
}

/**
 * Gives the demo org registration sources, operators, registrations over the last 30 days with
 * some changes and opt-outs, and switches its stream on (streamDemoRegistrations). Idempotent: an
 * org that already has sources only gets the stream switched on.
 * @param orgId the demo org.
 * @returns the number of registrations created.
 */
export async function seedRegistrationsDemo(orgId: number): Promise<number> {
  const scoped = orgDb(orgId);
  await saveConfig(orgId, { ...(await loadConfig(orgId)), demoStream: true });
  if (await scoped.registrationSource.count()) return 0;
  const sources = [
    (await createSource(orgId, { name: 'USSD', slug: 'ussd', authority: 'hw_full' as Authority }))!,
    (await createSource(orgId, { name: 'IVR', slug: 'ivr', authority: 'hw_limited' as Authority }))!,
  ];
  for (const s of sources) await issueToken(orgId, s.id, DEFAULT_SCOPES);
  const operators = Array.from({ length: 12 }, (_, i) => ({ id: uuid(), state: ['Ebonyi', 'Cross River', 'Abuja'][i % 3], role: ['Midwife', 'CHEW', 'OIC', 'CV'][i % 4] }));
  for (const o of operators) await scoped.identity.create({ data: { id: o.id, orgId, details: { state: o.state, role: o.role } } });
  const now = Date.now();
  for (let i = 0; i < DEMO_REGISTRATIONS; i++) {
    const row = await createRegistration(orgId, sources[i % 2]!, demoRegistration(i, operators[i % operators.length]!.id, now), 'demo');
    // Spread the registrations over the last 30 days so the charts have a shape.
    const at = new Date(now - ((DEMO_REGISTRATIONS - i) * 30 * 86_400_000) / DEMO_REGISTRATIONS);
    await scoped.registration.updateMany({ where: { id: row.id }, data: { createdAt: at } });
    if (i % 8 === 3) await demoFollowUp(orgId, sources[0]!, row.motherId, (i - 3) / 8, new Date(Math.min(at.getTime() + 86_400_000, now)));
  }
  return DEMO_REGISTRATIONS;
}

/**
 * One step of the demo org's stream of registrations (issue 8: "the demo org gets … a stream of
 * registrations"): up to DEMO_STREAM_MAX new registrations through the ordinary intake, by the
 * seeded sources and operators, now and then with a change or an opt-out. Does nothing unless the
 * demo seeder switched the stream on for this org.
 * @param orgId the demo org.
 * @param random a number in [0, 1) (injectable for tests).
 * @returns the number of registrations created.
 */
export async function streamDemoRegistrations(orgId: number, random = Math.random()): Promise<number> {
  if (!(await loadConfig(orgId)).demoStream) return 0;
  const scoped = orgDb(orgId);
  const [sources, operators, seen] = await Promise.all([
    scoped.registrationSource.findMany({ where: { active: true }, orderBy: { slug: 'asc' } }),
    scoped.identity.findMany({ select: { id: true }, orderBy: { id: 'asc' }, take: 12 }),
    scoped.registration.count(),
  ]);
  if (!sources.length || !operators.length) return 0;
  const count = 1 + Math.floor(random * DEMO_STREAM_MAX);
  const now = new Date();
  for (let k = 0; k < count; k++) {
    const i = seen + k;
    const row = await createRegistration(orgId, sources[i % sources.length]!, demoRegistration(i, operators[i % operators.length]!.id, now.getTime()), 'demo', now);
    if (i % 10 === 3) await demoFollowUp(orgId, sources[0]!, row.motherId, (i - 3) / 10, now);
  }
  return count;
}
