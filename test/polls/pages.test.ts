import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { getQueue } from '../../src/jobs/queues.js';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { runSync } from '../../src/sync/runSync.js';
import { SYNCERS } from '../../src/sync/syncers.js';
import { buildOrg, buildUser, TEST_PASSWORD } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startTestSimulator, TOKEN } from '../rapidpro/support.js';

let app: TestServer;
let sim: RunningSimulator;
beforeAll(async () => {
  [app, sim] = await Promise.all([startTestServer(), startTestSimulator({ contacts: 50, weeks: 1, activity: false })]);
});
afterAll(async () => {
  await Promise.all([app.close(), sim.close()]);
});

async function signedIn(org: { subdomain: string }, role: 'admin' | 'supervisor' | 'viewer') {
  const user = await buildUser(org as never, { role });
  const agent = app.agent();
  await agent.signIn(user.email, TEST_PASSWORD);
  return { agent, host: agent.host(org.subdomain) };
}

/** An org with the flows synced and "Weekly School Poll" tracked with its questions. */
async function orgWithPoll() {
  const org = await buildOrg({ apiUrl: sim.url, apiToken: TOKEN });
  await runSync(org.id, SYNCERS.flows, { force: true });
  const poll = await db().poll.findFirstOrThrow({ where: { orgId: org.id, rapidproName: 'Weekly School Poll' } });
  await db().poll.update({ where: { id: poll.id }, data: { isActive: true } });
  await runSync(org.id, SYNCERS.flows, { force: true });
  const questions = await db().question.findMany({ where: { pollId: poll.id }, orderBy: { flowOrder: 'asc' } });
  expect(questions.length).toBeGreaterThan(1);
  return { org, poll, questions };
}

describe('poll pages', () => {
  it('guard access: signed out → sign-in, other org → 404, supervisors and viewers read but neither select nor edit', async () => {
    const { org, poll } = await orgWithPoll();
    const reads = ['/polls', `/polls/${poll.id}`];
    const writes = ['/polls/select', `/polls/${poll.id}/edit`];
    const anonymous = app.agent();
    const outsider = await signedIn(await buildOrg(), 'admin');
    for (const path of [...reads, ...writes]) {
      expect((await anonymous.get(anonymous.host(org.subdomain), path)).status, path).toBe(303);
      expect((await outsider.agent.get(outsider.agent.host(org.subdomain), path)).status, path).toBe(404);
    }
    for (const role of ['supervisor', 'viewer'] as const) {
      const { agent, host } = await signedIn(org, role);
      for (const path of reads) expect((await agent.get(host, path)).status, `${role} ${path}`).toBe(200);
      for (const path of writes) {
        expect((await agent.get(host, path)).status, `${role} ${path}`).toBe(403);
        expect((await agent.post(host, path, {})).status, `${role} POST ${path}`).toBe(403);
      }
      const list = await agent.get(host, '/polls');
      expect(list.body).toContain('Weekly School Poll');
      expect(list.body).not.toContain('href="/polls/select"');
    }
    const admin = await signedIn(org, 'admin');
    expect((await admin.agent.get(admin.host, '/polls/999999999')).status).toBe(404);
    expect((await admin.agent.get(admin.host, '/polls/abc')).status).toBe(404);
    const untracked = await db().poll.findFirstOrThrow({ where: { orgId: org.id, isActive: false } });
    expect((await admin.agent.get(admin.host, `/polls/${untracked.id}`)).status).toBe(404);
  });

  it('lists tracked polls with question counts and the setup guide, and shows the nav entry', async () => {
    const { org, poll, questions } = await orgWithPoll();
    await db().poll.update({ where: { id: poll.id }, data: { isArchivedInRapidPro: true } });
    const { agent, host } = await signedIn(org, 'admin');
    const page = await agent.get(host, '/polls');
    expect(page.status).toBe(200);
    expect(page.body).toContain('href="/polls"');
    expect(page.body).toContain('href="/polls/select"');
    expect(page.body).toContain(`href="/polls/${poll.id}"`);
    expect(page.body).toMatch(new RegExp(`<td class="text-end">${questions.length}</td>`));
    expect(page.body).toContain('Archived in RapidPro');
    expect(page.body).not.toContain('Attendance');
  });

  it('selects polls from RapidPro (never Single Message flows), then queues the flows sync', async () => {
    const org = await buildOrg({ apiUrl: sim.url, apiToken: TOKEN });
    const { agent, host } = await signedIn(org, 'admin');
    const form = await agent.get(host, '/polls/select');
    expect(form.status).toBe(200);
    expect(form.body).toContain('Attendance');
    expect(form.body).toContain('Old Registration');
    expect(form.body).toContain('Archived in RapidPro');
    expect(form.body).not.toContain('Single Message');
    const wanted = await db().poll.findMany({ where: { orgId: org.id, rapidproName: { in: ['Attendance', 'Feedback'] } } });
    const saved = await agent.post(host, '/polls/select', { polls: wanted.map((p) => String(p.id)) });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe('/polls');
    expect((await db().poll.findMany({ where: { orgId: org.id, isActive: true }, orderBy: { rapidproName: 'asc' } })).map((p) => p.rapidproName)).toEqual(['Attendance', 'Feedback']);
    expect(await getQueue('sync').getJob(`sync-flows-${org.id}`)).toBeDefined();

    const foreign = await db().poll.create({ data: { orgId: (await buildOrg()).id, flowUuid: 'f0000000-0000-4000-8000-000000000000', rapidproName: 'Theirs' } });
    const refused = await agent.post(host, '/polls/select', { polls: [String(wanted[0]!.id), String(foreign.id)] });
    expect(refused.status).toBe(400);
    expect(await db().poll.count({ where: { orgId: org.id, isActive: true } })).toBe(2);
    expect((await agent.post(host, '/polls/select', { polls: 'abc' })).status).toBe(400);
  });

  it('edits the poll and question names, types, shown flags and order; blank or RapidPro names clear the custom name', async () => {
    const { org, poll, questions } = await orgWithPoll();
    const [first, second] = questions;
    const { agent, host } = await signedIn(org, 'admin');
    const form = await agent.get(host, `/polls/${poll.id}/edit`);
    expect(form.status).toBe(200);
    expect(form.body).toContain('On RapidPro: Weekly School Poll');
    expect(form.body).toContain(`name="questions[q${first!.id}][type]"`);

    const invalid = await agent.post(host, `/polls/${poll.id}/edit`, {
      name: 'School', [`questions[q${first!.id}][name]`]: '', [`questions[q${first!.id}][type]`]: 'dance', [`questions[q${first!.id}][order]`]: '-1',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toContain('Choose a type.');
    expect(invalid.body).toContain('Enter a whole number from 1 to 999.');
    expect(await db().poll.findUniqueOrThrow({ where: { id: poll.id } })).toMatchObject({ customName: null });

    const saved = await agent.post(host, `/polls/${poll.id}/edit`, {
      name: '  School  ',
      [`questions[q${first!.id}][name]`]: 'First one',
      [`questions[q${first!.id}][type]`]: 'keypad',
      [`questions[q${first!.id}][order]`]: '2',
      [`questions[q${second!.id}][name]`]: second!.rapidproName,
      [`questions[q${second!.id}][type]`]: second!.type,
      [`questions[q${second!.id}][order]`]: '1',
      [`questions[q${second!.id}][shown]`]: 'on',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/polls/${poll.id}`);
    expect(await db().poll.findUniqueOrThrow({ where: { id: poll.id } })).toMatchObject({ customName: 'School' });
    expect(await db().question.findUniqueOrThrow({ where: { id: first!.id } })).toMatchObject({ customName: 'First one', type: 'keypad', typeSetByAdmin: true, adminOrder: 2, isActive: false });
    expect(await db().question.findUniqueOrThrow({ where: { id: second!.id } })).toMatchObject({ customName: null, typeSetByAdmin: false, adminOrder: 1, isActive: true });

    const show = await agent.get(host, `/polls/${poll.id}`);
    expect(show.body).toContain('School');
    expect(show.body).not.toContain('First one');
    expect(show.body).toContain(`1. ${second!.rapidproName}`);

    // The admin's choices survive a re-sync of a changed flow.
    const flow = sim.state().flows.find((f) => f.uuid === poll.flowUuid)!;
    flow.modifiedUs += 60_000_000;
    try {
      await runSync(org.id, SYNCERS.flows, { force: true });
    } finally {
      flow.modifiedUs -= 60_000_000;
    }
    expect(await db().question.findUniqueOrThrow({ where: { id: first!.id } })).toMatchObject({ type: 'keypad', adminOrder: 2, isActive: false, customName: 'First one' });

    await agent.post(host, `/polls/${poll.id}/edit`, { name: '' });
    expect(await db().poll.findUniqueOrThrow({ where: { id: poll.id } })).toMatchObject({ customName: null });
  });
});
