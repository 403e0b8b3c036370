import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { applyInboxPage } from '../../src/db/inbox.js';
import { broadcastStatusTask } from '../../src/jobs/tasks/BroadcastStatusTask.js';
import { sendMessageTask } from '../../src/jobs/tasks/SendMessageTask.js';
import { withPgTransaction } from '../../src/db/pool.js';
import type { Org, ResponseStatus, Role } from '../../src/generated/prisma/client.js';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { buildContact, buildRegions } from '../contacts/support.js';
import { buildOrg, buildUser, TEST_PASSWORD } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startTestSimulator, testClient, TOKEN } from '../rapidpro/support.js';
import { syncNow } from '../sync/support.js';
import { remoteActiveContacts, takeSendJob } from './support.js';

let app: TestServer;
let sim: RunningSimulator;
let remote: string[];
beforeAll(async () => {
  app = await startTestServer();
  sim = await startTestSimulator({ contacts: 50, weeks: 1, activity: false });
  remote = await remoteActiveContacts(sim);
});
afterAll(async () => {
  await app.close();
  await sim.close();
});

/**
 * An org on the simulator: North → North One, South; contacts a (North, Teachers), b (North One),
 * c (North), d (South), each a RapidPro contact; a poll run of North (a complete, b empty, c partial)
 * and one of South (d empty); and inbox messages from a, b and d.
 */
async function setup() {
  const org = await buildOrg({ apiUrl: sim.url, apiToken: TOKEN });
  const regions = await buildRegions(org);
  const contact = async (name: string, regionId: number, uuid: string, groupIds: number[] = []) => {
    const built = await buildContact(org, { name, regionId, groupIds });
    return db().contact.update({ where: { id: built.id }, data: { uuid } });
  };
  const a = await contact('Ann North', regions.north.id, remote[0]!, [regions.teachers.id]);
  const b = await contact('Ben North One', regions.northOne.id, remote[1]!);
  const c = await contact('Cat North', regions.north.id, remote[2]!);
  const d = await contact('Dan South', regions.south.id, remote[3]!);
  const poll = await db().poll.create({ data: { orgId: org.id, flowUuid: randomUUID(), rapidproName: 'Attendance', isActive: true } });
  const run = async (regionId: number, day: number, responses: [{ id: number; regionId: number | null }, ResponseStatus][]) => {
    const conductedOn = new Date(Date.UTC(2024, 5, day));
    const pollRun = await db().pollRun.create({ data: { orgId: org.id, pollId: poll.id, type: 'regional', regionId, conductedOn } });
    for (const [who, status] of responses) {
      await db().response.create({ data: { orgId: org.id, pollRunId: pollRun.id, pollId: poll.id, contactId: who.id, createdOn: conductedOn, updatedOn: conductedOn, status, regionId: who.regionId, contactCounted: true } });
    }
    return pollRun;
  };
  const northRun = await run(regions.north.id, 1, [[a, 'C'], [b, 'E'], [c, 'P']]);
  const southRun = await run(regions.south.id, 2, [[d, 'E']]);
  let id = Math.floor(Math.random() * 1e9);
  // Recent, so the reply statistics (the last 30 days, up to now: the org has no inbox sync yet) count them.
  const inbox = (who: { uuid: string }, text: string, hoursAgo: number, direction: 'i' | 'o' = 'i') => {
    const created = new Date(Date.now() - hoursAgo * 3600_000);
    return { rapidproKey: String(id++), contactUuid: who.uuid, text, direction, visibility: 'visible', status: direction === 'i' ? 'handled' : 'sent', createdOn: created, sentOn: null, modifiedOn: created };
  };
  await withPgTransaction((client) => applyInboxPage(client, org.id, [
    inbox(a, 'The pump is broken', 50), inbox(a, 'We sent a mechanic', 49, 'o'), inbox(b, 'No teacher today', 30), inbox(d, 'Road flooded', 10),
  ]));
  return { org, regions, a, b, c, d, northRun, southRun };
}

async function signedIn(org: Org, role: Role, regionIds: number[] = []) {
  const user = await buildUser(org, { role });
  for (const regionId of regionIds) await orgDb(org.id).regionAccess.create({ data: { orgId: org.id, userId: user.id, regionId } });
  const agent = app.agent();
  await agent.signIn(user.email, TEST_PASSWORD);
  return { user, agent, host: agent.host(org.subdomain) };
}

type Agent = Awaited<ReturnType<typeof signedIn>>['agent'];

/** POST /messages as a fetch caller: JSON body, JSON answer, CSRF token in a header. */
async function postJson(agent: Agent, host: string, body: object) {
  const token = await agent.csrfToken(host);
  return agent.request('POST', host, '/messages', JSON.stringify(body), { 'Content-Type': 'application/json', Accept: 'application/json', 'x-csrf-token': token });
}

describe('messages and inbox: who may', () => {
  it('sends the signed-out to sign-in, and answers 404 to members of another org', async () => {
    const s = await setup();
    const anonymous = app.agent();
    const host = anonymous.host(s.org.subdomain);
    for (const path of ['/messages', '/inbox', `/inbox/${s.a.id}`, `/contacts/${s.a.id}/messages`]) {
      expect((await anonymous.get(host, path)).location).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    expect((await anonymous.post(host, '/messages', { pollRunId: String(s.northRun.id), recipientGroup: 'all', text: 'x' })).location).toMatch(/^\/login/);
    expect((await anonymous.post(host, `/inbox/${s.a.id}`, { text: 'x' })).location).toMatch(/^\/login/);

    const otherOrg = await buildOrg();
    const outsider = await signedIn(otherOrg, 'admin');
    const there = outsider.agent.host(s.org.subdomain);
    for (const path of ['/messages', '/inbox', `/inbox/${s.a.id}`, `/contacts/${s.a.id}/messages`]) expect((await outsider.agent.get(there, path)).status).toBe(404);
    expect((await outsider.agent.post(there, '/messages', { pollRunId: String(s.northRun.id), recipientGroup: 'all', text: 'x' })).status).toBe(404);
    expect((await outsider.agent.post(there, `/inbox/${s.a.id}`, { text: 'x' })).status).toBe(404);
    // An admin of another org cannot reach this org's poll run or contact from their own org either.
    const own = outsider.agent.host(otherOrg.subdomain);
    expect((await outsider.agent.post(own, '/messages', { pollRunId: String(s.northRun.id), recipientGroup: 'all', text: 'x' })).status).toBe(404);
    expect((await outsider.agent.get(own, `/inbox/${s.a.id}`)).status).toBe(404);
    expect(await db().message.count({ where: { orgId: s.org.id } })).toBe(0);
  });

  it('refuses viewers the log, the inbox, sending and replying (D1), and shows them no send form', async () => {
    const s = await setup();
    const { agent, host } = await signedIn(s.org, 'viewer');
    for (const path of ['/messages', '/inbox', `/inbox/${s.a.id}`, `/contacts/${s.a.id}/messages`]) expect((await agent.get(host, path)).status).toBe(403);
    expect((await agent.post(host, '/messages', { pollRunId: String(s.northRun.id), recipientGroup: 'all', text: 'x' })).status).toBe(403);
    expect((await postJson(agent, host, { pollRunId: s.northRun.id, recipientGroup: 'all', text: 'x' })).status).toBe(403);
    expect((await agent.post(host, `/inbox/${s.a.id}`, { text: 'x' })).status).toBe(403);
    const tab = await agent.get(host, `/pollruns/${s.northRun.id}/participation`);
    expect(tab.status).toBe(200);
    expect(tab.body).not.toContain('action="/messages');
    expect(tab.body).toContain(`data-src="/pollruns/${s.northRun.id}/reminders.json"`);
    const home = await agent.get(host, '/');
    expect(home.body).not.toContain('href="/inbox"');
    expect(home.body).not.toContain('href="/messages"');
    expect(await db().message.count({ where: { orgId: s.org.id } })).toBe(0);
  });

  it('keeps a supervisor to their regions: 404 for a poll run, a conversation or a contact outside them; 403 for the admin-only log', async () => {
    const s = await setup();
    const { agent, host } = await signedIn(s.org, 'supervisor', [s.regions.south.id]);
    expect((await agent.get(host, '/messages')).status).toBe(403);
    expect((await agent.post(host, '/messages', { pollRunId: String(s.northRun.id), recipientGroup: 'all', text: 'x' })).status).toBe(404);
    expect((await postJson(agent, host, { pollRunId: s.northRun.id, recipientGroup: 'all', text: 'x' })).status).toBe(404);
    for (const path of [`/inbox/${s.a.id}`, `/inbox/${s.b.id}`, `/contacts/${s.a.id}/messages`]) expect((await agent.get(host, path)).status).toBe(404);
    expect((await agent.post(host, `/inbox/${s.a.id}`, { text: 'x' })).status).toBe(404);
    expect(await db().message.count({ where: { orgId: s.org.id } })).toBe(0);

    const inbox = await agent.get(host, '/inbox');
    expect(inbox.status).toBe(200);
    expect(inbox.body).toContain('Road flooded');
    expect(inbox.body).not.toContain('The pump is broken');
    // Reply statistics cover South only: Dan's message is unanswered; North's contacts are not counted.
    expect(inbox.body).toMatch(/<th scope="row" class="fw-normal">South<\/th>\s*<td class="text-end">1<\/td>/);
    expect(inbox.body).not.toMatch(/<th scope="row" class="fw-normal">North/);
    // A region outside theirs in the link falls back to their own.
    const elsewhere = await agent.get(host, `/inbox?region=${s.regions.north.id}`);
    expect(elsewhere.body).toContain('Road flooded');
    expect(elsewhere.body).not.toContain('No teacher today');
    expect(elsewhere.body).not.toContain('We sent a mechanic');
    const nav = await agent.get(host, '/');
    expect(nav.body).toContain('href="/inbox"');
    expect(nav.body).not.toContain('href="/messages"');
  });
});

describe('sending to a poll run\'s participants (spec §16.1)', () => {
  it('from the participation tab\'s form: the non-respondents of the region context, then back to the tab with a flash', async () => {
    const s = await setup();
    const { agent, host, user } = await signedIn(s.org, 'supervisor', [s.regions.north.id]);
    const tab = await agent.get(host, `/pollruns/${s.northRun.id}/participation`);
    expect(tab.body).toContain('action="/messages"');
    expect(tab.body).toMatch(/Non-respondents \(2\)/);
    expect(tab.body).toMatch(/Respondents \(1\)/);
    expect(tab.body).toMatch(/All participants \(3\)/);

    const sent = await agent.post(host, '/messages', { pollRunId: String(s.northRun.id), recipientGroup: 'non_respondents', text: '  Please answer today  ' });
    expect(sent.status).toBe(303);
    expect(sent.location).toBe(`/pollruns/${s.northRun.id}/participation`);
    const message = await db().message.findFirstOrThrow({ where: { orgId: s.org.id }, include: { recipients: true } });
    await takeSendJob(message.id);
    expect(message).toMatchObject({ text: 'Please answer today', recipientGroup: 'non_respondents', regionId: s.regions.north.id, sentById: user.id, status: 'pending', recipientCount: 2 });
    expect(message.recipients.map((r) => r.contactId).sort()).toEqual([s.b.id, s.c.id].sort());
    expect((await agent.get(host, sent.location!)).body).toContain('The message is being sent to 2 recipients.');

    // North without its sub-regions, as a shared link's region context says: the form and the redirect keep it.
    const narrow = await agent.get(host, `/pollruns/${s.northRun.id}/participation?region=${s.regions.north.id}&sub=0`);
    expect(narrow.body.match(/action="\/messages[^"]*"/)?.[0]).toBe(`action="/messages?region=${s.regions.north.id}&amp;sub=0"`);
    expect(narrow.body).toMatch(/All participants \(2\)/);
    const one = await agent.post(host, `/messages?region=${s.regions.north.id}&sub=0`, { pollRunId: String(s.northRun.id), recipientGroup: 'all', text: 'North only' });
    expect(one.location).toBe(`/pollruns/${s.northRun.id}/participation?region=${s.regions.north.id}&sub=0`);
    const second = await db().message.findFirstOrThrow({ where: { orgId: s.org.id, text: 'North only' }, include: { recipients: true } });
    await takeSendJob(second.id);
    expect(second.recipients.map((r) => r.contactId).sort()).toEqual([s.a.id, s.c.id].sort());
    expect(second.regionId).toBe(s.regions.north.id);
  });

  it('answers fetch callers with JSON: {id, recipients}, 400 with the field for bad input or nobody to send to', async () => {
    const s = await setup();
    const { agent, host } = await signedIn(s.org, 'admin');
    const created = await postJson(agent, host, { pollRunId: s.northRun.id, recipientGroup: 'all', text: 'Hello all' });
    expect(created.status).toBe(201);
    const body = JSON.parse(created.body);
    expect(body).toEqual({ id: expect.any(Number), recipients: 3 });
    await takeSendJob(body.id);
    const stored = await db().message.findUniqueOrThrow({ where: { id: body.id } });
    expect(stored.regionId).toBeNull();

    const blank = await postJson(agent, host, { pollRunId: s.northRun.id, recipientGroup: 'all', text: '   ' });
    expect([blank.status, JSON.parse(blank.body).error]).toEqual([400, 'text: This field is required.']);
    const long = await postJson(agent, host, { pollRunId: s.northRun.id, recipientGroup: 'all', text: 'x'.repeat(641) });
    expect(JSON.parse(long.body).error).toBe('text: This is too long.');
    const group = await postJson(agent, host, { pollRunId: s.northRun.id, recipientGroup: 'everyone', text: 'x' });
    expect(JSON.parse(group.body).error).toMatch(/^recipientGroup: /);
    const nobody = await postJson(agent, host, { pollRunId: s.southRun.id, recipientGroup: 'respondents', text: 'x' });
    expect(nobody.status).toBe(400);
    expect(await postJson(agent, host, { pollRunId: 99999999, recipientGroup: 'all', text: 'x' }).then((r) => r.status)).toBe(404);
    // The HTML form with a blank text goes back to the tab with the message.
    const form = await agent.post(host, '/messages', { pollRunId: String(s.northRun.id), recipientGroup: 'all', text: ' ' });
    expect(form.status).toBe(303);
    expect((await agent.get(host, form.location!)).body).toContain('This field is required.');
    expect(await db().message.count({ where: { orgId: s.org.id } })).toBe(1);
  });
});

describe('the message log and a contact\'s messages (spec §16.2)', () => {
  it('lists messages of "All regions" and of the data regions newest first, with group, count, region, text and status', async () => {
    const s = await setup();
    const admin = await signedIn(s.org, 'admin');
    const supervisor = await signedIn(s.org, 'supervisor', [s.regions.north.id]);
    for (const [who, group, text] of [[admin, 'all', 'To everyone'], [supervisor, 'non_respondents', 'To North non-respondents']] as const) {
      const r = await who.agent.post(who.host, '/messages', { pollRunId: String(s.northRun.id), recipientGroup: group, text });
      expect(r.status).toBe(303);
    }
    for (const m of await db().message.findMany({ where: { orgId: s.org.id } })) await takeSendJob(m.id);

    const log = await admin.agent.get(admin.host, '/messages');
    expect(log.status).toBe(200);
    const body = log.body;
    expect(body.indexOf('To North non-respondents')).toBeLessThan(body.indexOf('To everyone'));
    expect(body).toContain('All participants');
    expect(body).toContain('Non-respondents');
    expect(body).toContain(`href="/pollruns/${s.northRun.id}"`);
    expect(body).toMatch(/<td>All<\/td>/);
    expect(body).toMatch(/<td>North<\/td>/);
    expect(body).toContain('Waiting to send');
    // The status the log shows follows RapidPro: the job broadcasts, then polling the broadcasts finds them completed.
    const statusOf = async (text: string) => new RegExp(`<em>${text}</em></td>\\s*<td><span class="badge[^"]*">([^<]+)</span>`).exec((await admin.agent.get(admin.host, '/messages')).body)?.[1];
    const everyone = await db().message.findFirstOrThrow({ where: { orgId: s.org.id, text: 'To everyone' } });
    expect(await sendMessageTask.run({ orgId: s.org.id, messageId: everyone.id })).toBe('sent');
    expect(await statusOf('To everyone')).toBe('Queued in RapidPro');
    sim.clock.advance(10);
    expect(await broadcastStatusTask.run({ orgId: s.org.id })).toEqual({ checked: 1 });
    expect(await statusOf('To everyone')).toBe('Sent');
    expect(await statusOf('To North non-respondents')).toBe('Waiting to send');
    // With South picked, a North message is not in the data regions; one of "All regions" is.
    const south = await admin.agent.get(admin.host, `/messages?region=${s.regions.south.id}`);
    expect(south.body).toContain('To everyone');
    expect(south.body).not.toContain('To North non-respondents');

    const ofB = await supervisor.agent.get(supervisor.host, `/contacts/${s.b.id}/messages`);
    expect(ofB.status).toBe(200);
    expect(ofB.body).toContain('To everyone');
    expect(ofB.body).toContain('To North non-respondents');
    expect(ofB.body).toContain('aria-current="page" href="/contacts/' + s.b.id + '/messages"');
    const ofA = await supervisor.agent.get(supervisor.host, `/contacts/${s.a.id}/messages`);
    expect(ofA.body).toContain('To everyone');
    expect(ofA.body).not.toContain('To North non-respondents');
  });
});

describe('the inbox (spec §16.3)', () => {
  it('lists each contact\'s latest message in the region context, filtered by reporter group, with reply statistics per region', async () => {
    const s = await setup();
    const { agent, host } = await signedIn(s.org, 'admin');
    const all = await agent.get(host, '/inbox');
    expect(all.status).toBe(200);
    expect(all.body.indexOf('Road flooded')).toBeLessThan(all.body.indexOf('No teacher today'));
    expect(all.body.indexOf('No teacher today')).toBeLessThan(all.body.indexOf('We sent a mechanic'));
    expect(all.body).not.toContain('The pump is broken');
    expect(all.body).toContain('3 contacts');
    expect(all.body).toContain('Median time to first reply');
    expect(all.body).toContain('1 h 0 min');
    const north = await agent.get(host, `/inbox?region=${s.regions.north.id}`);
    expect(north.body).not.toContain('Road flooded');
    expect(north.body).toContain('No teacher today');
    const teachers = await agent.get(host, `/inbox?group=${s.regions.teachers.id}`);
    expect(teachers.body).toContain('We sent a mechanic');
    expect(teachers.body).not.toContain('No teacher today');
  });

  it('shows a conversation newest first; a blank reply is refused on the page; a reply goes out and comes back to the conversation', async () => {
    const s = await setup();
    const { agent, host } = await signedIn(s.org, 'supervisor', [s.regions.north.id]);
    const page = await agent.get(host, `/inbox/${s.a.id}`);
    expect(page.status).toBe(200);
    expect(page.body.indexOf('We sent a mechanic')).toBeLessThan(page.body.indexOf('The pump is broken'));
    expect(page.body).toContain('data-send-once');
    expect(page.body).toContain('<script src="/static/js/inbox.js" type="module"></script>');
    expect(page.body).not.toMatch(/<script(?![^>]*src=)[^>]*>/);

    const blank = await agent.post(host, `/inbox/${s.a.id}`, { text: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.body).toContain('This field is required.');

    const sent = await agent.post(host, `/inbox/${s.a.id}`, { text: 'A mechanic comes tomorrow.' });
    expect(sent.status).toBe(303);
    expect(sent.location).toBe(`/inbox/${s.a.id}`);
    const after = await agent.get(host, sent.location!);
    expect(after.body).toContain('Reply sent.');
    expect(after.body).toContain('A mechanic comes tomorrow.');
    expect(await db().message.count({ where: { orgId: s.org.id, recipientGroup: 'reply', status: 'sent' } })).toBe(1);
    // The inbox sync ran in-band for the org.
    expect(await db().syncState.count({ where: { orgId: s.org.id, resource: 'inbox', lastSuccessAt: { not: null } } })).toBe(1);
    const reply = sim.state().messages;
    expect([...reply.texts.values()].map((t) => t.text)).toContain('A mechanic comes tomorrow.');
    const bubble = (status: string) => new RegExp(`A mechanic comes tomorrow\\.</div>\\s*<div[^>]*>\\s*Outgoing · <time[^>]*>[^<]*</time> · ${status}`);
    expect(after.body).toMatch(bubble('Queued'));

    // RapidPro's clock moves on and it sends the reply: the next inbox sync shows it sent, as RapidPro lists it among its sent messages.
    sim.clock.advance(10);
    await syncNow(s.org.id, 'inbox');
    const stored = await db().inboxMessage.findFirstOrThrow({ where: { orgId: s.org.id, contactId: s.a.id, direction: 'o', text: 'A mechanic comes tomorrow.' } });
    const sentFolder = await testClient(sim).messages({ folder: 'sent', after: new Date(new Date(sim.clock.now()).getTime() - 3600_000) }).all();
    const listed = sentFolder.find((m) => m.key === stored.rapidproKey);
    expect(listed?.text).toBe('A mechanic comes tomorrow.');
    expect(stored.status).toBe(listed!.status);
    expect(stored.sentOn?.getTime()).toBe(listed!.sentOn!.ms);
    expect((await agent.get(host, `/inbox/${s.a.id}`)).body).toMatch(bubble('(Sent|Delivered)'));
    expect(await db().inboxMessage.count({ where: { orgId: s.org.id, contactId: s.a.id, direction: 'o', text: 'A mechanic comes tomorrow.' } })).toBe(1);
  });
});
