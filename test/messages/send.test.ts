import { Worker, type Job } from 'bullmq';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { db } from '../../src/db/client.js';
import { createParticipantMessage } from '../../src/db/messages.js';
import { bullConnection, getQueue, queuePrefix } from '../../src/jobs/queues.js';
import { broadcastStatusTask } from '../../src/jobs/tasks/BroadcastStatusTask.js';
import { resumeSendsTask, STUCK_AFTER_MS } from '../../src/jobs/tasks/ResumeSendsTask.js';
import { sendMessageTask } from '../../src/jobs/tasks/SendMessageTask.js';
import { seedMessagesDemo } from '../../src/messages/demoSeeder.js';
import { sendToParticipants } from '../../src/messages/messageSender.js';
import { displayStatus } from '../../src/messages/status.js';
import { UnavailableError } from '../../src/rapidpro/client/index.js';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { buildOrg } from '../support/factories.js';
import { startTestSimulator } from '../rapidpro/support.js';
import { participantsSetup, remoteActiveContacts, takeSendJob, type ParticipantsSetup } from './support.js';

let sim: RunningSimulator;
let uuids: string[];
beforeAll(async () => {
  sim = await startTestSimulator({ contacts: 400, weeks: 1, activity: false });
  uuids = await remoteActiveContacts(sim);
  expect(uuids.length).toBeGreaterThan(260);
});
afterAll(() => sim.close());
// Each test broadcasts to the same contacts: a fresh workspace keeps one test's broadcasts from matching another's.
beforeEach(() => {
  sim.reset();
  sim.setFaults([]);
  sim.clearRequests();
});

/** A worker's context on a first attempt out of five, so a retryable failure is thrown for a retry. */
const firstAttempt = { job: { attemptsMade: 0, opts: { attempts: 5 } } as unknown as Job, token: undefined };

/** A fault that changes nothing, so the next broadcast fault hits the second POST. */
const letFirstPostThrough = { kind: 'slow', latencyMs: 0, path: 'broadcasts', method: 'POST', count: 1 } as const;

const postsToBroadcasts = () => sim.requests().filter((r) => r.method === 'POST' && r.path.includes('broadcasts')).length;

/** Every contact the simulator's API broadcasts went to, one entry per delivery. */
function broadcastRecipients(): string[] {
  const state = sim.state();
  return state.broadcasts.flatMap((b) => b.contacts.map((i) => state.contacts.uuid(i)));
}

async function send(s: ParticipantsSetup, text: string, recipientGroup: 'all' | 'respondents' | 'non_respondents' = 'all', regionIds: number[] | null = null) {
  const outcome = await sendToParticipants(s.org.id, { pollRunId: s.pollRunId, recipientGroup, text, regionId: null, regionIds, userId: s.admin.id });
  if (!outcome.ok) throw new Error(outcome.reason);
  const job = await takeSendJob(outcome.messageId);
  return { ...outcome, job };
}

describe('sending a message to a poll run\'s participants', () => {
  it('writes the message, its recipients and batches of 100 before any call, queues the job, and sends 250 contacts in exactly 3 broadcasts', async () => {
    const s = await participantsSetup(sim, uuids);
    const { messageId, recipients, job } = await send(s, 'Please answer the attendance poll');
    expect(recipients).toBe(250);
    expect(job?.data).toEqual({ orgId: s.org.id, messageId });
    const message = await db().message.findUniqueOrThrow({ where: { id: messageId }, include: { batches: { orderBy: { batchNo: 'asc' } }, recipients: true } });
    expect(message).toMatchObject({ status: 'pending', recipientGroup: 'all', regionId: null, recipientCount: 250, sentById: s.admin.id, pollRunId: s.pollRunId });
    expect(message.batches.map((b) => [b.batchNo, b.contactUuids.length, b.rapidproBroadcastId])).toEqual([[1, 100, null], [2, 100, null], [3, 50, null]]);
    expect(new Set(message.batches.flatMap((b) => b.contactUuids))).toEqual(new Set(s.responses.map((r) => r.uuid)));
    expect(new Set(message.recipients.map((r) => r.contactId))).toEqual(new Set(s.responses.map((r) => r.contactId)));
    expect(postsToBroadcasts()).toBe(0);

    expect(await sendMessageTask.run({ orgId: s.org.id, messageId })).toBe('sent');
    expect(postsToBroadcasts()).toBe(3);
    expect(broadcastRecipients().sort()).toEqual(s.responses.map((r) => r.uuid).sort());
    const sent = await db().message.findUniqueOrThrow({ where: { id: messageId }, include: { batches: true } });
    expect(sent.status).toBe('sent');
    expect(sent.sentAt).not.toBeNull();
    expect(new Set(sent.batches.map((b) => b.rapidproBroadcastId)).size).toBe(3);
    // A batch's sentAt is when RapidPro created its broadcast (its clock: the simulator's frozen 2024).
    expect(sent.batches.every((b) => b.sentAt?.toISOString() === '2024-07-01T09:00:00.000Z')).toBe(true);

    // Sent is sent: running the job again sends nothing.
    expect(await sendMessageTask.run({ orgId: s.org.id, messageId })).toBe('skipped');
    expect(postsToBroadcasts()).toBe(3);
  });

  it('a plain 500 on the second broadcast fails the attempt; the retry sends only what is left and nobody twice', async () => {
    const s = await participantsSetup(sim, uuids);
    const { messageId } = await send(s, 'Reminder: the poll closes tonight');
    // Batch 1 goes; batch 2 gets a 500, the guard's look-up finds nothing, and the resend gets a 500 again.
    sim.addFault(letFirstPostThrough);
    sim.addFault({ kind: '500', path: 'broadcasts', method: 'POST', count: 2 });
    await expect(sendMessageTask.run({ orgId: s.org.id, messageId }, firstAttempt)).rejects.toBeInstanceOf(UnavailableError);
    const midway = await db().message.findUniqueOrThrow({ where: { id: messageId }, include: { batches: true } });
    expect(midway.status).toBe('sending');
    expect(midway.error).toBeTruthy();
    expect(midway.batches.filter((b) => b.rapidproBroadcastId).length).toBe(1);
    expect(broadcastRecipients()).toHaveLength(100);

    expect(await sendMessageTask.run({ orgId: s.org.id, messageId })).toBe('sent');
    const delivered = broadcastRecipients();
    expect(delivered).toHaveLength(250);
    expect(new Set(delivered)).toEqual(new Set(s.responses.map((r) => r.uuid)));
    expect(sim.state().broadcasts).toHaveLength(3);
    expect(await db().message.findUniqueOrThrow({ where: { id: messageId } })).toMatchObject({ status: 'sent', error: null });
  });

  it('a 500 after RapidPro applied the second broadcast does not send it twice', async () => {
    const s = await participantsSetup(sim, uuids);
    const { messageId } = await send(s, 'Thank you for answering');
    sim.addFault(letFirstPostThrough);
    sim.addFault({ kind: 'applied500', path: 'broadcasts', method: 'POST', count: 1 });
    expect(await sendMessageTask.run({ orgId: s.org.id, messageId })).toBe('sent');
    expect(postsToBroadcasts()).toBe(3);
    expect(broadcastRecipients().sort()).toEqual(s.responses.map((r) => r.uuid).sort());
    expect(new Set((await db().messageBatch.findMany({ where: { messageId } })).map((b) => b.rapidproBroadcastId)).size).toBe(3);
  });

  it('a broadcast RapidPro applied, whose answer and look-up were both lost, is found again on the retry', async () => {
    const s = await participantsSetup(sim, uuids);
    const { messageId } = await send(s, 'Your answers matter');
    sim.addFault(letFirstPostThrough);
    sim.addFault({ kind: 'applied500', path: 'broadcasts', method: 'POST', count: 1 });
    sim.addFault({ kind: '500', path: 'broadcasts', method: 'GET', count: 20 });
    await expect(sendMessageTask.run({ orgId: s.org.id, messageId }, firstAttempt)).rejects.toBeInstanceOf(UnavailableError);
    expect(sim.state().broadcasts).toHaveLength(2);

    sim.setFaults([]);
    sim.clearRequests();
    expect(await sendMessageTask.run({ orgId: s.org.id, messageId })).toBe('sent');
    expect(postsToBroadcasts()).toBe(1);
    const delivered = broadcastRecipients();
    expect(delivered).toHaveLength(250);
    expect(new Set(delivered).size).toBe(250);
  });

  it('a refusal from RapidPro fails the message with its reason', async () => {
    const s = await participantsSetup(sim, uuids);
    const { messageId } = await send(s, 'Refused');
    // RapidPro refuses the whole batch for an unknown contact.
    await db().messageBatch.updateMany({ where: { messageId, batchNo: 1 }, data: { contactUuids: ['00000000-0000-4000-8000-000000000000'] } });
    expect(await sendMessageTask.run({ orgId: s.org.id, messageId }, firstAttempt)).toBe('failed');
    const failed = await db().message.findUniqueOrThrow({ where: { id: messageId } });
    expect(failed.status).toBe('failed');
    expect(failed.error).toBeTruthy();
    expect(postsToBroadcasts()).toBe(1);
  });

  it('an org without a token fails the message; a message that is gone is skipped', async () => {
    const s = await participantsSetup(sim, uuids, { counted: 5 });
    const { messageId } = await send(s, 'No token');
    await db().org.update({ where: { id: s.org.id }, data: { apiTokenEncrypted: null } });
    expect(await sendMessageTask.run({ orgId: s.org.id, messageId })).toBe('failed');
    expect(await sendMessageTask.run({ orgId: s.org.id, messageId: messageId + 1_000_000 })).toBe('skipped');
  });
});

describe('who receives a message (spec §16.1, §12.4)', () => {
  it('all, respondents and non-respondents equal a plain recount of the active counted responses, within a region context', async () => {
    const s = await participantsSetup(sim, uuids);
    const contexts: (number[] | null)[] = [null, [s.north, s.northOne], [s.northOne], [s.south]];
    for (const regionIds of contexts) {
      for (const group of ['all', 'respondents', 'non_respondents'] as const) {
        const expected = s.responses
          .filter((r) => regionIds === null || regionIds.includes(r.regionId))
          .filter((r) => group === 'all' || (group === 'respondents') === (r.status === 'C'))
          .map((r) => r.contactId)
          .sort((a, b) => a - b);
        const created = await createParticipantMessage(s.org.id, { pollRunId: s.pollRunId, recipientGroup: group, text: `${group}`, regionId: null, regionIds, sentById: s.admin.id });
        const recipients = created ? (await db().messageRecipient.findMany({ where: { messageId: created.messageId } })).map((r) => r.contactId).sort((a, b) => a - b) : [];
        expect({ regionIds, group, recipients }).toEqual({ regionIds, group, recipients: expected });
        expect(created?.recipients ?? 0).toBe(expected.length);
      }
    }
    // The superseded complete response of the second contact does not make them a respondent.
    expect(s.responses[1]!.status).toBe('P');
  });

  it('sends nothing when nobody is in the group, and never writes into another org', async () => {
    const s = await participantsSetup(sim, uuids, { counted: 2 });
    expect(await sendToParticipants(s.org.id, { pollRunId: s.pollRunId, recipientGroup: 'respondents', text: 'x', regionId: null, regionIds: [s.south], userId: s.admin.id }))
      .toEqual({ ok: false, reason: 'no-recipients' });
    const other = await buildOrg();
    expect(await createParticipantMessage(other.id, { pollRunId: s.pollRunId, recipientGroup: 'all', text: 'x', regionId: null, regionIds: null, sentById: s.admin.id })).toBeNull();
    expect(await db().message.count({ where: { orgId: { in: [s.org.id, other.id] } } })).toBe(0);
  });
});

describe('following the broadcasts\' status (spec §16.2)', () => {
  it('stores what RapidPro reports until every broadcast is final; the message shows queued, then sent', async () => {
    const s = await participantsSetup(sim, uuids);
    const { messageId } = await send(s, 'Status check');
    await sendMessageTask.run({ orgId: s.org.id, messageId });
    const statuses = async () => (await db().messageBatch.findMany({ where: { messageId }, orderBy: { batchNo: 'asc' } })).map((b) => b.rapidproStatus);
    expect(await statuses()).toEqual(['pending', 'pending', 'pending']);
    expect(displayStatus('sent', await statuses())).toBe('queued');

    // The scheduled run queues one job per org with unfinished broadcasts.
    await broadcastStatusTask.run({});
    const queued = await getQueue('sync').getJob(`broadcast-status-${s.org.id}`);
    expect(queued?.data).toEqual({ orgId: s.org.id });
    await queued?.remove();

    sim.clock.advance(1.5);
    expect(await broadcastStatusTask.run({ orgId: s.org.id })).toEqual({ checked: 3 });
    expect(await statuses()).toEqual(['queued', 'queued', 'queued']);
    sim.clock.advance(10);
    expect(await broadcastStatusTask.run({ orgId: s.org.id })).toEqual({ checked: 3 });
    expect(await statuses()).toEqual(['completed', 'completed', 'completed']);
    expect(displayStatus('sent', await statuses())).toBe('sent');
    const checked = await db().messageBatch.findMany({ where: { messageId } });
    expect(checked.every((b) => b.checkedAt !== null)).toBe(true);
    // Final broadcasts are not read again.
    sim.clearRequests();
    expect(await broadcastStatusTask.run({ orgId: s.org.id })).toEqual({ checked: 0 });
    expect(sim.requests()).toHaveLength(0);
  });

  it('finds broadcasts of 2019-era servers by their integer id', async () => {
    const s = await participantsSetup(sim, uuids, { counted: 5 });
    sim.setVariant('demo', { variant: 'legacy2019' });
    try {
      const { messageId } = await send(s, 'Legacy');
      await sendMessageTask.run({ orgId: s.org.id, messageId });
      const [batch] = await db().messageBatch.findMany({ where: { messageId } });
      expect(batch!.rapidproBroadcastId).toMatch(/^\d+$/);
      sim.clock.advance(10);
      await broadcastStatusTask.run({ orgId: s.org.id });
      expect((await db().messageBatch.findUniqueOrThrow({ where: { id: batch!.id } })).rapidproStatus).toBe('sent');
    } finally {
      sim.setVariant('demo', { variant: 'current' });
    }
  });

  it('derives the shown status from the message and its broadcasts', () => {
    expect(displayStatus('pending', [null])).toBe('pending');
    expect(displayStatus('sending', ['queued', null])).toBe('sending');
    expect(displayStatus('failed', [null])).toBe('failed');
    expect(displayStatus('sent', ['completed', 'queued'])).toBe('queued');
    expect(displayStatus('sent', ['completed', 'failed'])).toBe('failed');
    expect(displayStatus('sent', ['sent', 'completed'])).toBe('sent');
    expect(displayStatus('sent', [])).toBe('sent');
  });
});

describe('the demo org\'s messages', () => {
  it('syncs the inbox, reminds the latest poll run\'s non-respondents and answers three contacts who wrote in; once', async () => {
    const s = await participantsSetup(sim, uuids);
    await seedMessagesDemo(s.org.id);
    const messages = await db().message.findMany({ where: { orgId: s.org.id }, orderBy: { id: 'asc' } });
    const reminder = messages.find((m) => m.recipientGroup === 'non_respondents')!;
    expect(reminder.recipientCount).toBe(s.responses.filter((r) => r.status !== 'C').length);
    expect((await takeSendJob(reminder.id))?.data).toEqual({ orgId: s.org.id, messageId: reminder.id });
    const replies = messages.filter((m) => m.recipientGroup === 'reply');
    expect(replies).toHaveLength(3);
    expect(replies.every((m) => m.status === 'sent')).toBe(true);
    expect(await db().inboxMessage.count({ where: { orgId: s.org.id, direction: 'i' } })).toBeGreaterThan(3);
    expect(await db().inboxMessage.count({ where: { orgId: s.org.id, direction: 'o' } })).toBe(3);

    await seedMessagesDemo(s.org.id);
    expect(await db().message.count({ where: { orgId: s.org.id } })).toBe(messages.length);
  });
});

describe('unfinished sends (resume-sends)', () => {
  const longAgo = () => new Date(Date.now() - STUCK_AFTER_MS - 60_000);

  it('queue a message again whose job was lost, and it is sent once', async () => {
    const s = await participantsSetup(sim, uuids);
    const { messageId } = await send(s, 'Its job was lost');
    await db().message.update({ where: { id: messageId }, data: { createdAt: longAgo() } });
    await resumeSendsTask.run({});
    const job = await takeSendJob(messageId);
    expect(job?.data).toEqual({ orgId: s.org.id, messageId });
    expect(await sendMessageTask.run(job!.data)).toBe('sent');
    expect(postsToBroadcasts()).toBe(3);
    // Finished: a later sweep leaves it alone.
    await resumeSendsTask.run({});
    expect(await takeSendJob(messageId)).toBeUndefined();
  });

  it('mark a message failed, with the reason, once its job used up its attempts', async () => {
    const s = await participantsSetup(sim, uuids);
    const { messageId } = await send(s, 'Its job gave up');
    await db().message.update({ where: { id: messageId }, data: { createdAt: longAgo() } });
    const queue = getQueue('sync');
    await queue.add(sendMessageTask.name, { orgId: s.org.id, messageId }, { jobId: sendMessageTask.jobId(messageId), attempts: 1 });
    const worker = new Worker('sync', async () => {
      throw new Error('database unreachable');
    }, { connection: bullConnection(), prefix: queuePrefix() });
    try {
      await vi.waitFor(async () => expect(await (await queue.getJob(sendMessageTask.jobId(messageId)))!.getState()).toBe('failed'), { timeout: 10_000 });
    } finally {
      await worker.close();
    }
    await resumeSendsTask.run({});
    expect(await db().message.findUniqueOrThrow({ where: { id: messageId } })).toMatchObject({ status: 'failed', error: 'database unreachable' });
    expect(postsToBroadcasts()).toBe(0);
    await (await queue.getJob(sendMessageTask.jobId(messageId)))?.remove();
  });
});
