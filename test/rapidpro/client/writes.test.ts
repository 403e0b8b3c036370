import { afterEach, describe, expect, it } from 'vitest';
import { NotFoundError, UnavailableError, ValidationError } from '../../../src/rapidpro/client/index.js';
import type { RunningSimulator } from '../../../src/rapidpro/simulator/index.js';
import { startTestSimulator, testClient } from '../support.js';

describe('writes', () => {
  let sim: RunningSimulator;
  afterEach(async () => sim?.close());

  it('does not start a flow twice when the POST was applied but answered 500 (clock frozen in 2024)', async () => {
    sim = await startTestSimulator({ now: '2024-03-04T10:00:00.000Z' });
    const client = testClient(sim);
    const flow = (await client.flows().all()).find((f) => f.name === 'Attendance')!;
    const group = (await client.groups().all()).find((g) => g.query === null && !g.system)!;
    sim.addFault({ kind: 'applied500', path: 'flow_starts', method: 'POST', count: 1 });
    const start = await client.startFlow({ flow: flow.uuid, groups: [group.uuid] });
    expect(client.serverTime()?.toISOString()).toBe('2024-03-04T10:00:00.000Z');
    expect(start.status).toBe('pending');
    const posts = sim.requests().filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    const apiStarts = sim.state().starts.filter((s) => s.request !== null);
    expect(apiStarts).toHaveLength(1);
    expect(apiStarts[0]!.uuid).toBe(start.uuid);
  });

  it('retries the start once when the lost POST left nothing behind', async () => {
    sim = await startTestSimulator({ now: '2024-03-04T10:00:00.000Z' });
    const client = testClient(sim);
    const flow = (await client.flows().all()).find((f) => f.name === 'Attendance')!;
    const contact = (await client.contacts().all()).find((c) => c.status === 'active')!;
    sim.addFault({ kind: '502', path: 'flow_starts', method: 'POST', count: 1 });
    const start = await client.startFlow({ flow: flow.uuid, contacts: [contact.uuid] });
    expect(sim.state().starts.filter((s) => s.request !== null).map((s) => s.uuid)).toEqual([start.uuid]);
  });

  it('sends a broadcast whose POST was lost, even beside a broadcast of the same text to more contacts', async () => {
    sim = await startTestSimulator({ now: '2024-03-04T10:00:00.000Z', activity: false });
    const client = testClient(sim);
    const contacts = (await client.contacts().all()).filter((c) => c.status === 'active').slice(0, 3).map((c) => c.uuid);
    const everyone = await client.sendBroadcast({ text: 'Reminder', contacts });
    sim.addFault({ kind: '502', path: 'broadcasts', method: 'POST', count: 1 });
    const subset = await client.sendBroadcast({ text: 'Reminder', contacts: contacts.slice(0, 2) });
    expect(subset.key).not.toBe(everyone.key);
    expect(subset.contacts.map((c) => c.uuid).sort()).toEqual(contacts.slice(0, 2).sort());
  });

  it('does not send a broadcast twice when the POST was applied but answered 500', async () => {
    sim = await startTestSimulator({ now: '2024-03-04T10:00:00.000Z', activity: false });
    const client = testClient(sim);
    const contacts = (await client.contacts().all()).filter((c) => c.status === 'active').slice(0, 3).map((c) => c.uuid);
    sim.addFault({ kind: 'applied500', path: 'broadcasts', method: 'POST', count: 1 });
    const sent = await client.sendBroadcast({ text: 'Reminder', contacts });
    expect((await client.broadcasts().all()).map((b) => b.key)).toEqual([sent.key]);
  });

  it('runs appear for a start as the virtual clock moves on', async () => {
    sim = await startTestSimulator({ now: '2024-03-04T10:00:00.000Z', activity: false });
    const client = testClient(sim);
    const flow = (await client.flows().all()).find((f) => f.name === 'Attendance')!;
    const contacts = (await client.contacts().all()).filter((c) => c.status === 'active').slice(0, 5);
    const start = await client.startFlow({ flow: flow.uuid, contacts: contacts.map((c) => c.uuid) });
    sim.clock.advance(10);
    const [done] = await client.flowStarts({ uuid: start.uuid }).all();
    expect(done!.status).toBe('completed');
    const runs = (await client.runs({ after: '2024-03-04T10:00:00Z' }).all()).filter((r) => r.start?.uuid === start.uuid);
    expect(runs.map((r) => r.contact.uuid).sort()).toEqual(contacts.map((c) => c.uuid).sort());
  });

  it('updates, merges fields, deletes, and reports field errors per field', async () => {
    sim = await startTestSimulator();
    const client = testClient(sim);
    const contact = (await client.contacts().all()).find((c) => c.status === 'active' && c.urns.length > 0)!;
    const updated = await client.updateContact({ uuid: contact.uuid }, { name: 'Renamed', fields: { age: '33' } });
    expect(updated.name).toBe('Renamed');
    expect(updated.fields.age).toBe('33');
    expect(updated.fields.gender).toBe(contact.fields.gender);
    expect(updated.modifiedOn.ms).toBeGreaterThanOrEqual(contact.modifiedOn.ms);
    const error = await client.createContact({ urns: [contact.urns[0]!] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors).toEqual({ urns: { '0': ['URN is in use by another contact.'] } });
    const badField = await client.updateContact({ uuid: contact.uuid }, { fields: { nope: 'x' } }).catch((e: unknown) => e);
    expect((badField as ValidationError).fieldErrors).toEqual({ fields: ['Invalid contact field key: nope'] });
    await client.deleteContact({ uuid: contact.uuid });
    await client.deleteContact({ uuid: contact.uuid });
    const [tombstone] = await client.contacts({ deleted: true, uuid: contact.uuid }).all();
    expect(tombstone).toMatchObject({ deleted: true, status: null, urns: [], groups: [] });
    await expect(client.updateContact({ uuid: '00000000-0000-4000-8000-000000000000' }, { name: 'x' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('never retries a message send whose outcome is unknown', async () => {
    sim = await startTestSimulator();
    const client = testClient(sim);
    const contact = (await client.contacts().all()).find((c) => c.status === 'active')!;
    sim.addFault({ kind: '500', path: 'messages', method: 'POST', count: 1 });
    const error = await client.sendMessage({ contact: contact.uuid, text: 'hi' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).writeMayHaveApplied).toBe(true);
    expect(sim.requests().filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});
