import { randomUUID } from 'node:crypto';
import { orgDb } from '../tenancy/orgDb.js';
import { createRegistration } from './commands/registrationCreator.js';
import { createSource, DEFAULT_SCOPES, issueToken } from './commands/sourceCreator.js';
import { DEFAULT_CONFIG } from './config.js';
import type { Authority, Stage } from './validation.js';

/** How many registrations the demo org starts with. */
export const DEMO_REGISTRATIONS = 150;

const uuid = () => randomUUID();

/**
 * Gives the demo org registration sources, operators and a stream of registrations over the last
 * 30 days. Idempotent: an org that already has sources is left as it is.
 * @param orgId the demo org.
 * @returns the number of registrations created.
 */
export async function seedRegistrationsDemo(orgId: number): Promise<number> {
  const scoped = orgDb(orgId);
  if (await scoped.registrationSource.count()) return 0;
  const sources = [
    (await createSource(orgId, { name: 'USSD', slug: 'ussd', authority: 'hw_full' as Authority }))!,
    (await createSource(orgId, { name: 'IVR', slug: 'ivr', authority: 'hw_limited' as Authority }))!,
  ];
  for (const s of sources) await issueToken(orgId, s.id, DEFAULT_SCOPES);
  const operators = Array.from({ length: 12 }, (_, i) => ({ id: uuid(), state: ['Ebonyi', 'Cross River', 'Abuja'][i % 3], role: ['Midwife', 'CHEW', 'OIC', 'CV'][i % 4] }));
  for (const o of operators) await scoped.identity.create({ data: { id: o.id, orgId, details: { state: o.state, role: o.role } } });
  const now = Date.now();
  let created = 0;
  for (let i = 0; i < DEMO_REGISTRATIONS; i++) {
    const mother = uuid();
    const receiver = DEFAULT_CONFIG.receiverTypes[i % DEFAULT_CONFIG.receiverTypes.length]!;
    const weeks = 8 + (i % 36);
    const stage: Stage = i % 6 === 5 ? 'postbirth' : 'prebirth';
    const date = new Date(now - weeks * 7 * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
    const row = await createRegistration(orgId, sources[i % 2]!, {
      stage, motherId: mother,
      data: {
        operator_id: operators[i % operators.length]!.id, msg_receiver: receiver, receiver_id: receiver === 'mother_only' ? mother : uuid(),
        language: DEFAULT_CONFIG.languages[i % 5], msg_type: i % 4 ? 'text' : 'audio', ...(i % 4 ? {} : { voice_days: 'mon_wed', voice_times: '9_11' }),
        ...(stage === 'prebirth' ? { last_period_date: date } : { baby_dob: new Date(now - (i % 50) * 7 * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '') }),
      },
    }, 'demo');
    // Spread the stream over the last 30 days so the charts have a shape.
    await scoped.registration.updateMany({ where: { id: row.id }, data: { createdAt: new Date(now - ((i * 30 * 86_400_000) / DEMO_REGISTRATIONS)) } });
    created++;
  }
  return created;
}
