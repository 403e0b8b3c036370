import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findTask } from '../../src/jobs/registry.js';
import { getQueue } from '../../src/jobs/queues.js';
import { pushContactTask } from '../../src/jobs/tasks/PushContactTask.js';
import { UnavailableError } from '../../src/rapidpro/client/index.js';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { buildOrg } from '../support/factories.js';
import { startTestSimulator, testClient, TOKEN } from '../rapidpro/support.js';
import { buildContact, buildRegions, nextPhone } from './support.js';

let sim: RunningSimulator;
let panels: string[];
let cohorts: string[];
let fieldKey: string;
beforeAll(async () => {
  sim = await startTestSimulator({ contacts: 50, weeks: 1 });
  // In the simulator a contact is in one panel (used as regions) and any cohorts (reporter groups).
  const groups = sim.state().layout.groups;
  panels = groups.filter((g) => g.kind === 'panel').map((g) => g.uuid);
  cohorts = groups.filter((g) => g.kind === 'cohort').map((g) => g.uuid);
  fieldKey = (await testClient(sim).fields().all())[0]!.key;
});
afterAll(() => sim.close());
beforeEach(() => sim.setFaults([]));

/** An org on the simulator whose regions and reporter groups are real RapidPro groups; the last cohort is left untracked. */
async function connected() {
  const org = await buildOrg({ apiUrl: sim.url, apiToken: TOKEN });
  const [north, northOne, south] = panels;
  const [teachers, nurses] = cohorts;
  const tracked = await buildRegions(org, { north, northOne, south, teachers, nurses });
  await orgDb(org.id).dataField.create({ data: { orgId: org.id, key: fieldKey, label: fieldKey, visible: true } });
  return { org, ...tracked, untracked: { uuid: cohorts[cohorts.length - 1]! } };
}

async function remote(uuid: string, deleted = false) {
  return (await testClient(sim).contacts({ uuid, deleted }).all())[0];
}

/** A job context on its first of five attempts, as the worker passes it. */
const firstAttempt = { job: { attemptsMade: 0, opts: { attempts: 5 } } as unknown as Job, token: undefined };

describe('push-contact job', () => {
  it('is registered on the sync queue and queued once per contact', async () => {
    expect(findTask('push-contact')).toBe(pushContactTask);
    const contactId = 900_000_000 + Math.floor(Math.random() * 1_000_000);
    await pushContactTask.enqueue(1, contactId);
    await pushContactTask.enqueue(1, contactId);
    const job = await getQueue('sync').getJob(`push-contact-${contactId}`);
    expect(job?.opts.attempts).toBe(5);
    expect(job?.opts.backoff).toEqual({ type: 'exponential', delay: 5_000 });
    expect((await getQueue('sync').getJobs(['waiting', 'delayed', 'prioritized'])).filter((j) => j.id === `push-contact-${contactId}`)).toHaveLength(1);
    await job!.remove();
  });

  it('creates the contact in RapidPro with its groups and fields, then takes RapidPro\'s uuid', async () => {
    const { org, north, teachers } = await connected();
    const contact = await buildContact(org, { name: 'Ama Created', regionId: north.id, groupIds: [teachers.id], values: { [fieldKey]: '42', other: null } });
    await orgDb(org.id).contact.update({ where: { id: contact.id }, data: { syncState: 'pending', language: 'kin' } });
    expect(await pushContactTask.perform({ orgId: org.id, contactId: contact.id })).toBe('created');
    const saved = await orgDb(org.id).contact.findFirstOrThrow({ where: { id: contact.id } });
    expect(saved.uuid).not.toBe(contact.uuid);
    expect(saved).toMatchObject({ syncState: 'synced', syncError: null });
    const there = await remote(saved.uuid);
    expect(there).toMatchObject({ name: 'Ama Created', language: 'kin', urns: [contact.urn] });
    expect(there!.fields[fieldKey]).toBe('42');
    expect(there!.groups.map((g) => g.uuid).sort()).toEqual([north.uuid, teachers.uuid].sort());
    expect(saved.rapidproModifiedOn?.getTime()).toBe(there!.modifiedOn.ms);
    // Nothing left to do the second time.
    expect(await pushContactTask.perform({ orgId: org.id, contactId: contact.id })).toBe('unchanged');
  });

  it('updates the contact, keeping the RapidPro groups TracPro does not manage', async () => {
    const { org, north, south, nurses, untracked } = await connected();
    const urn = nextPhone();
    const existing = await testClient(sim).createContact({ name: 'Old Name', urns: [urn], groups: [untracked.uuid, south.uuid] });
    const contact = await buildContact(org, { name: 'New Name', regionId: north.id, groupIds: [nurses.id], urn });
    await orgDb(org.id).contact.update({ where: { id: contact.id }, data: { uuid: existing.uuid, syncState: 'pending' } });
    expect(await pushContactTask.perform({ orgId: org.id, contactId: contact.id })).toBe('updated');
    const there = await remote(existing.uuid);
    expect(there!.name).toBe('New Name');
    expect(there!.groups.map((g) => g.uuid).sort()).toEqual([untracked.uuid, north.uuid, nurses.uuid].sort());
    expect((await orgDb(org.id).contact.findFirstOrThrow({ where: { id: contact.id } })).syncState).toBe('synced');
  });

  it('creates the contact when RapidPro no longer has its uuid', async () => {
    const { org, north, teachers } = await connected();
    const contact = await buildContact(org, { name: 'Lost', regionId: north.id, groupIds: [teachers.id] });
    await orgDb(org.id).contact.update({ where: { id: contact.id }, data: { syncState: 'pending' } });
    expect(await pushContactTask.perform({ orgId: org.id, contactId: contact.id })).toBe('created');
  });

  it('deletes the contact in RapidPro, leaving a tombstone; an unknown contact is fine', async () => {
    const { org, north } = await connected();
    const urn = nextPhone();
    const existing = await testClient(sim).createContact({ name: 'To Delete', urns: [urn] });
    const contact = await buildContact(org, { name: 'To Delete', regionId: north.id, urn });
    await orgDb(org.id).contact.update({ where: { id: contact.id }, data: { uuid: existing.uuid, isActive: false, syncState: 'pending' } });
    expect(await pushContactTask.perform({ orgId: org.id, contactId: contact.id })).toBe('deleted');
    expect(await remote(existing.uuid)).toBeUndefined();
    expect((await remote(existing.uuid, true))?.deleted).toBe(true);
    expect(await orgDb(org.id).contact.findFirstOrThrow({ where: { id: contact.id } })).toMatchObject({ isActive: false, status: 'active', syncState: 'synced' });

    const never = await buildContact(org, { name: 'Never Sent', regionId: north.id, isActive: false });
    await orgDb(org.id).contact.update({ where: { id: never.id }, data: { syncState: 'pending', uuid: randomUUID() } });
    expect(await pushContactTask.perform({ orgId: org.id, contactId: never.id })).toBe('deleted');
  });

  it('marks the contact failed with RapidPro\'s message when RapidPro refuses it, without retrying', async () => {
    const { org, north, teachers } = await connected();
    const contact = await buildContact(org, { name: 'N'.repeat(100), regionId: north.id, groupIds: [teachers.id] });
    await orgDb(org.id).contact.update({ where: { id: contact.id }, data: { syncState: 'pending' } });
    expect(await pushContactTask.perform({ orgId: org.id, contactId: contact.id }, firstAttempt)).toBe('failed');
    const saved = await orgDb(org.id).contact.findFirstOrThrow({ where: { id: contact.id } });
    expect(saved.syncState).toBe('failed');
    expect(saved.syncError).toBe('name: Ensure this field has no more than 64 characters.');
  });

  it('retries when RapidPro answers 500, then syncs', async () => {
    const { org, north, teachers } = await connected();
    const contact = await buildContact(org, { name: 'Flaky', regionId: north.id, groupIds: [teachers.id] });
    await orgDb(org.id).contact.update({ where: { id: contact.id }, data: { syncState: 'pending' } });
    sim.addFault({ kind: '500', path: 'contacts', method: 'POST', count: 2 });
    await expect(pushContactTask.perform({ orgId: org.id, contactId: contact.id }, firstAttempt)).rejects.toBeInstanceOf(UnavailableError);
    expect((await orgDb(org.id).contact.findFirstOrThrow({ where: { id: contact.id } })).syncState).toBe('pending');
    expect(await pushContactTask.perform({ orgId: org.id, contactId: contact.id }, firstAttempt)).toBe('created');
    expect((await orgDb(org.id).contact.findFirstOrThrow({ where: { id: contact.id } })).syncState).toBe('synced');

    // A single 500 on the create is recovered within one attempt (the client looks the URN up first).
    const other = await buildContact(org, { name: 'Flaky Once', regionId: north.id, groupIds: [teachers.id] });
    await orgDb(org.id).contact.update({ where: { id: other.id }, data: { syncState: 'pending' } });
    sim.addFault({ kind: '500', path: 'contacts', method: 'POST', count: 1 });
    expect(await pushContactTask.perform({ orgId: org.id, contactId: other.id }, firstAttempt)).toBe('created');
  });

  it('gives up on the last attempt with the reason, and skips orgs without a token and missing contacts', async () => {
    const { org, north, teachers } = await connected();
    const contact = await buildContact(org, { name: 'Unlucky', regionId: north.id, groupIds: [teachers.id] });
    await orgDb(org.id).contact.update({ where: { id: contact.id }, data: { syncState: 'pending' } });
    sim.addFault({ kind: '500', path: 'contacts', method: 'POST', count: 2 });
    const last = { job: { attemptsMade: 4, opts: { attempts: 5 } } as unknown as Job, token: undefined };
    await expect(pushContactTask.perform({ orgId: org.id, contactId: contact.id }, last)).rejects.toBeInstanceOf(UnavailableError);
    const saved = await orgDb(org.id).contact.findFirstOrThrow({ where: { id: contact.id } });
    expect(saved.syncState).toBe('failed');
    expect(saved.syncError).toMatch(/did not answer properly/);

    expect(await pushContactTask.perform({ orgId: org.id, contactId: 2_000_000_000 })).toBe('skipped');
    const tokenless = await buildOrg({ apiToken: '' });
    expect(await pushContactTask.perform({ orgId: tokenless.id, contactId: contact.id })).toBe('skipped');
  });
});
