import type { Org } from '../../src/generated/prisma/client.js';
import { getQueue, type QueueName } from '../../src/jobs/queues.js';
import { SLOT_MS } from '../../src/registrations/jobSlots.js';
import { createSource, issueToken, type TokenScope, TOKEN_SCOPES } from '../../src/registrations/commands/sourceCreator.js';
import type { Authority } from '../../src/registrations/validation.js';
import { buildOrg } from '../support/factories.js';
import { drainQueue } from '../support/queues.js';
import type { TestAgent, TestResponse } from '../support/http.js';

export const MOTHER = 'mother00-9d89-4aa6-99ff-13c225365b5d';
export const FRIEND = 'friend00-73a2-4d89-b045-d52004c025fe';
export const OPERATOR = 'nurse000-6a07-4377-a4f6-c0485ccba234';

/**
 * A YYYYMMDD date some weeks before now (for requests that validate against today's clock).
 * @param weeks weeks ago.
 * @returns the compact date.
 */
export function weeksAgo(weeks: number): string {
  return new Date(Date.now() - weeks * 7 * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
}

/** A valid prebirth payload (spec §12.1) with overrides. */
export function prebirthData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    operator_id: OPERATOR, msg_receiver: 'friend_only', receiver_id: FRIEND, language: 'eng_NG', msg_type: 'text',
    last_period_date: '20150202', ...overrides,
  };
}

/**
 * Builds an org with one source and a token holding every scope unless told otherwise.
 * @param options authority, scopes and an existing org.
 * @returns the org, source and secret.
 */
export async function buildSource(options: { org?: Org; authority?: Authority; slug?: string; scopes?: TokenScope[] } = {}) {
  const org = options.org ?? (await buildOrg());
  const source = (await createSource(org.id, { name: 'Field app', slug: options.slug ?? 'ussd', authority: options.authority ?? 'hw_full' }))!;
  const issued = (await issueToken(org.id, source.id, options.scopes ?? [...TOKEN_SCOPES]))!;
  return { org, source, token: issued.secret, tokenId: issued.token.id };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
type Json = any;

/**
 * Sends a JSON request with a source token.
 * @param agent the HTTP agent.
 * @param method the method.
 * @param host the org host.
 * @param path the path.
 * @param token the source token (none when null).
 * @param body a JSON body, or a raw string.
 * @returns the response, with the body parsed when it is JSON.
 */
export async function api(agent: TestAgent, method: string, host: string, path: string, token: string | null, body?: unknown): Promise<TestResponse & { json: Json }> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token) headers.Authorization = `Token ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await agent.request(method, host, path, body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body), headers);
  let json: unknown = null;
  try {
    json = JSON.parse(res.body);
  } catch {
    json = null;
  }
  return { ...res, json };
}

/**
 * Runs a queue's jobs including intake's slot jobs, which wait for their slot's end: lets the slot
 * pass, promotes the delayed jobs (retries too), then drains.
 * @param name the queue.
 */
export async function drainSlots(name: QueueName): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, SLOT_MS));
  await getQueue(name).promoteJobs();
  await drainQueue(name);
}
