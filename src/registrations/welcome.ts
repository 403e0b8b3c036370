import type { Registration } from '../generated/prisma/client.js';
import type { Adapters } from './adapters/index.js';
import type { RegistrationConfig } from './config.js';

/**
 * Who gets a registration's welcome SMS (spec §6 step 2): none for non-public audio (the welcome
 * is played instead); for text, the household-only receiver or else the mother; for public, the
 * mother unless the receiver is household-only, and the receiver unless it is `mother_only`.
 * @param r the registration.
 * @param config the org's configuration.
 * @returns the identities.
 */
export function welcomeTargets(r: Registration, config: RegistrationConfig): string[] {
  const data = r.data as Record<string, unknown>;
  const receiver = String(data.msg_receiver ?? '');
  const householdOnly = config.householdOnlyReceivers.includes(receiver);
  const receiverId = typeof data.receiver_id === 'string' ? data.receiver_id : null;
  if (r.stage === 'public') {
    return [...(householdOnly ? [] : [r.motherId]), ...(receiver !== 'mother_only' && receiverId && receiverId !== r.motherId ? [receiverId] : [])];
  }
  if (typeof data.voice_days === 'string' && data.voice_days !== '') return [];
  return [householdOnly && receiverId ? receiverId : r.motherId];
}

/**
 * Sends the welcome SMS of a batch of registrations: the addresses read at once, the messages
 * sent in one call. A registration whose addresses cannot all be read sends nothing.
 * @param adapters the org's adapters.
 * @param registrations the registrations.
 * @param config the org's configuration.
 * @returns registration id → error, for the registrations whose welcome did not all go out.
 */
export async function sendWelcomes(adapters: Adapters, registrations: Registration[], config: RegistrationConfig): Promise<Map<string, string>> {
  const failed = new Map<string, string>();
  const targets = registrations.flatMap((r) => welcomeTargets(r, config).map((identity) => ({ registration: r.id, identity })));
  if (!targets.length) return failed;
  const addresses = await adapters.identityStore.getDefaultAddresses([...new Set(targets.map((t) => t.identity))], 'msisdn').catch(() => new Map<string, string | null>());
  for (const t of targets) if (!addresses.has(t.identity)) failed.set(t.registration, `the address of ${t.identity} could not be read`);
  const sendable = targets.filter((t) => !failed.has(t.registration));
  const messages = sendable.map(({ registration, identity }) => {
    const address = addresses.get(identity);
    return { toIdentity: identity, ...(address ? { toAddr: address } : {}), content: config.welcomeText, metadata: { registration } };
  });
  const outcomes = messages.length ? await adapters.sender.send(messages).catch((error: unknown) => messages.map(() => (error as Error).message)) : [];
  sendable.forEach((t, i) => outcomes[i] && failed.set(t.registration, outcomes[i]));
  return failed;
}
