import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { startTestSimulator, testClient, TOKEN } from '../rapidpro/support.js';
import { remoteActiveContacts } from './support.js';

// The simulator's write endpoints that messages use (rapidpro-api §6, §10.6): what the server
// refuses is what makes batches of 100 necessary, and what it reports is what the log shows.

let sim: RunningSimulator;
let uuids: string[];
beforeAll(async () => {
  sim = await startTestSimulator({ contacts: 200, weeks: 1, activity: false });
  uuids = await remoteActiveContacts(sim);
  expect(uuids.length).toBeGreaterThan(101);
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

async function post(endpoint: string, body: object) {
  const response = await fetch(`${sim.url}/api/v2/${endpoint}.json`, {
    method: 'POST',
    headers: { Authorization: `Token ${TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const simNow = () => new Date(sim.clock.now());

describe('the simulator\'s broadcasts (rapidpro-api §6, §10.6)', () => {
  it('refuses more than 100 contacts in one broadcast, as RapidPro does, and sends nothing', async () => {
    const refused = await post('broadcasts', { text: 'Too many', contacts: uuids.slice(0, 101) });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ contacts: ['Ensure this field has no more than 100 elements.'] });
    expect(sim.state().broadcasts).toHaveLength(0);
    expect((await post('broadcasts', { text: 'Nobody' })).status).toBe(400);
  });

  it('takes 100 contacts, moves pending → queued → completed on its clock, and delivers one outgoing message per contact', async () => {
    const contacts = uuids.slice(0, 100);
    const created = await post('broadcasts', { text: 'Please answer the poll', contacts });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'pending', progress: { total: -1, started: 0 } });
    const uuid = created.body.uuid as string;
    const client = testClient(sim);
    const read = async () => (await client.broadcasts({ uuid }).all())[0]!;

    sim.clock.advance(1.5);
    expect((await read()).status).toBe('queued');
    sim.clock.advance(10);
    const done = await read();
    expect(done.status).toBe('completed');
    expect(done.progress).toEqual({ total: 100, started: 100 });
    expect(done.contacts.map((c) => c.uuid).sort()).toEqual([...contacts].sort());

    const after = new Date(simNow().getTime() - 3600_000);
    const outgoing = [...await client.messages({ folder: 'sent', after }).all(), ...await client.messages({ folder: 'failed', after }).all()]
      .filter((m) => m.text === 'Please answer the poll');
    expect(outgoing.map((m) => m.contact.uuid).sort()).toEqual([...contacts].sort());
    expect(outgoing.every((m) => m.direction === 'out' && m.flow === null)).toBe(true);
  });
});

describe('the simulator\'s message to one contact (rapidpro-api §6)', () => {
  it('refuses an unknown contact or no text, and sends a queued message that shows in the sent folder once its clock moves on', async () => {
    expect(await post('messages', { contact: '00000000-0000-4000-8000-000000000000', text: 'Hello' })).toEqual({
      status: 400, body: { contact: ['No such object: 00000000-0000-4000-8000-000000000000'] },
    });
    expect((await post('messages', { contact: uuids[0], text: '' })).status).toBe(400);

    const sent = await post('messages', { contact: uuids[0], text: 'We will call you today.' });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ contact: { uuid: uuids[0] }, direction: 'out', status: 'queued', text: 'We will call you today.', flow: null, sent_on: null });
    const client = testClient(sim);
    const after = new Date(simNow().getTime() - 60_000);
    expect((await client.messages({ folder: 'outbox', after }).all()).map((m) => m.id)).toContain(sent.body.id);

    sim.clock.advance(10);
    const folder = async (name: string) => (await client.messages({ folder: name, after }).all()).filter((m) => m.id === sent.body.id);
    const [inSent, inFailed] = [await folder('sent'), await folder('failed')];
    expect(inSent.length + inFailed.length).toBe(1);
    const [message] = [...inSent, ...inFailed];
    if (inSent.length) expect(message!.sentOn).not.toBeNull();
    expect(await folder('outbox')).toEqual([]);
  });
});
