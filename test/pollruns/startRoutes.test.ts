import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import type { Org, PollRunType, ResponseStatus, Role } from '../../src/generated/prisma/client.js';
import { getQueue } from '../../src/jobs/queues.js';
import { startPollRunTask } from '../../src/jobs/tasks/StartPollRunTask.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { buildContact, buildRegions } from '../contacts/support.js';
import { buildOrg, buildUser, TEST_PASSWORD } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

let app: TestServer;
beforeAll(async () => {
  app = await startTestServer();
});
afterAll(() => app.close());

/** An org (not reachable over RapidPro: jobs are taken off the queue) with regions, contacts and polls. */
async function orgWithPolls(overrides: Parameters<typeof buildOrg>[0] = {}) {
  const org = await buildOrg(overrides);
  const regions = await buildRegions(org);
  const poll = (rapidproName: string, extra: object = {}) =>
    db().poll.create({ data: { orgId: org.id, flowUuid: randomUUID(), rapidproName, isActive: true, ...extra } });
  const tracked = await poll('Attendance');
  const archived = await poll('Old Survey', { isArchivedInRapidPro: true });
  const untracked = await poll('Not Followed', { isActive: false });
  const a = await buildContact(org, { name: 'Ann North', regionId: regions.north.id });
  const b = await buildContact(org, { name: 'Ben North One', regionId: regions.northOne.id });
  const c = await buildContact(org, { name: 'Cat North', regionId: regions.north.id });
  const d = await buildContact(org, { name: 'Dan South', regionId: regions.south.id });
  return { org, ...regions, tracked, archived, untracked, contacts: { a, b, c, d } };
}

async function signedIn(org: Org, role: Role, regionIds: number[] = []) {
  const user = await buildUser(org, { role });
  for (const regionId of regionIds) await orgDb(org.id).regionAccess.create({ data: { orgId: org.id, userId: user.id, regionId } });
  const agent = app.agent();
  await agent.signIn(user.email, TEST_PASSWORD);
  return { user, agent, host: agent.host(org.subdomain) };
}

/** Takes a start's job off the queue (asserting it was queued), so no worker of another test runs it. */
async function takeJob(startId: number) {
  const job = await getQueue('sync').getJob(startPollRunTask.jobId(startId));
  expect(job?.data).toMatchObject({ startId });
  await job?.remove();
}

let day = 0;
/** A poll run with responses, written directly; each one is conducted a day after the previous. */
async function pollRunWith(org: Org, pollId: number, type: PollRunType, regionId: number | null, responses: [number, ResponseStatus][] = []) {
  const run = await db().pollRun.create({ data: { orgId: org.id, pollId, type, regionId, conductedOn: new Date(Date.UTC(2024, 0, ++day)) } });
  for (const [contactId, status] of responses) {
    const contact = await db().contact.findUniqueOrThrow({ where: { id: contactId } });
    await db().response.create({
      data: { orgId: org.id, pollRunId: run.id, pollId, contactId, createdOn: run.conductedOn, updatedOn: run.conductedOn, status, regionId: contact.regionId, contactCounted: true },
    });
  }
  return run;
}

describe('starting a poll: who may', () => {
  it('sends the signed-out to sign-in, hides the org from outsiders, refuses viewers, and requires the CSRF token', async () => {
    const s = await orgWithPolls();
    const run = await pollRunWith(s.org, s.tracked.id, 'regional', s.north.id, [[s.contacts.a.id, 'E']]);
    const anonymous = app.agent();
    expect((await anonymous.get(anonymous.host(s.org.subdomain), `/pollruns/${run.id}`)).location).toBe(`/login?next=%2Fpollruns%2F${run.id}`);

    const outsider = await signedIn(await buildOrg(), 'admin');
    const host = outsider.agent.host(s.org.subdomain);
    expect((await outsider.agent.get(host, `/pollruns/${run.id}`)).status).toBe(404);
    expect((await outsider.agent.post(host, '/pollruns', { poll: String(s.tracked.id), region: String(s.north.id) })).status).toBe(404);
    expect((await outsider.agent.post(host, `/pollruns/${run.id}/restart`)).status).toBe(404);

    const viewer = await signedIn(s.org, 'viewer');
    const home = await viewer.agent.get(viewer.host, '/');
    expect(home.status).toBe(200);
    expect(home.body).not.toContain('action="/pollruns"');
    expect((await viewer.agent.post(viewer.host, '/pollruns', { poll: String(s.tracked.id), region: String(s.north.id), propagate: 'on' })).status).toBe(403);
    expect((await viewer.agent.post(viewer.host, `/pollruns/${run.id}/restart`)).status).toBe(403);
    const page = await viewer.agent.get(viewer.host, `/pollruns/${run.id}/participation`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('/restart"');

    const admin = await signedIn(s.org, 'admin');
    expect((await admin.agent.post(admin.host, '/pollruns', { poll: String(s.tracked.id), region: String(s.north.id), _csrf: '' })).status).toBe(403);
    expect((await admin.agent.post(admin.host, `/pollruns/${run.id}/restart`, { _csrf: '' })).status).toBe(403);
    expect(await db().pollRunStart.count({ where: { orgId: s.org.id } })).toBe(0);
    expect(await db().pollRun.count({ where: { orgId: s.org.id } })).toBe(1);
  });

  it('gives 404 for another org\'s poll run and a non-numeric id', async () => {
    const s = await orgWithPolls();
    const other = await orgWithPolls();
    const foreign = await pollRunWith(other.org, other.tracked.id, 'regional', other.north.id);
    const { agent, host } = await signedIn(s.org, 'admin');
    for (const path of [`/pollruns/${foreign.id}`, '/pollruns/abc']) expect((await agent.get(host, path)).status).toBe(404);
    expect((await agent.post(host, `/pollruns/${foreign.id}/restart`)).status).toBe(404);
  });
});

describe('starting a poll from the home page', () => {
  it('offers the startable polls and the user\'s regions, creates the poll run and its start, and shows its progress', async () => {
    const s = await orgWithPolls();
    const { agent, host, user } = await signedIn(s.org, 'admin');
    const home = await agent.get(host, '/');
    expect(home.body).toContain('action="/pollruns"');
    expect(home.body).toContain(`<option value="${s.tracked.id}"`);
    // The home page lists tracked polls elsewhere; the start form offers only the startable ones.
    expect(home.body).not.toContain('>Old Survey</option>');
    expect(home.body).not.toContain('Not Followed');
    for (const name of ['North', 'North One', 'South']) expect(home.body).toContain(`${name}</option>`);
    expect(home.body).toMatch(/id="f-propagate" name="propagate"[^>]*checked/);

    const created = await agent.post(host, '/pollruns', { poll: String(s.tracked.id), region: String(s.north.id), propagate: 'on' });
    expect(created.status).toBe(303);
    const run = await db().pollRun.findFirstOrThrow({ where: { orgId: s.org.id }, include: { starts: { include: { batches: true } } } });
    expect(created.location).toBe(`/pollruns/${run.id}/participation`);
    expect(run).toMatchObject({ type: 'propagated', regionId: s.north.id, createdById: user.id, localDay: null });
    expect(run.starts).toHaveLength(1);
    expect(run.starts[0]).toMatchObject({ kind: 'start', status: 'queued', recipientCount: 3, requestedById: user.id });
    expect(new Set(run.starts[0]!.batches[0]!.contactUuids)).toEqual(new Set([s.contacts.a.uuid, s.contacts.b.uuid, s.contacts.c.uuid]));
    await takeJob(run.starts[0]!.id);

    const page = await agent.get(host, created.location!);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Attendance is being started for 3 contacts in North.');
    expect(page.body).toContain('Queued');
    expect(page.body).toContain('0 of 3');
    expect(page.body).toContain('http-equiv="refresh"');

    const regional = await agent.post(host, '/pollruns', { poll: String(s.tracked.id), region: String(s.north.id) });
    expect(regional.status).toBe(303);
    const second = await db().pollRun.findFirstOrThrow({ where: { orgId: s.org.id, type: 'regional' }, include: { starts: true } });
    expect(second.starts[0]!.recipientCount).toBe(2);
    await takeJob(second.starts[0]!.id);
  });

  it('re-renders the form with the error and the submitted values (400) and starts nothing', async () => {
    const s = await orgWithPolls();
    const other = await orgWithPolls();
    const empty = await db().region.create({ data: { orgId: s.org.id, uuid: randomUUID(), name: 'Empty' } });
    const { agent, host } = await signedIn(s.org, 'admin');
    const post = (form: Record<string, string>) => agent.post(host, '/pollruns', form);

    const missing = await post({ region: String(s.north.id) });
    expect(missing.status).toBe(400);
    expect(missing.body).toContain('Choose a poll.');
    for (const poll of [s.archived.id, s.untracked.id, other.tracked.id]) {
      const refused = await post({ poll: String(poll), region: String(s.south.id) });
      expect(refused.status).toBe(400);
      expect(refused.body).toContain('Select a valid choice.');
      expect(refused.body).toContain(`value="${s.south.id}" selected`);
    }
    const nobody = await post({ poll: String(s.tracked.id), region: String(empty.id), propagate: 'on' });
    expect(nobody.status).toBe(400);
    expect(nobody.body).toContain('There are no active contacts in this region.');
    expect(await db().pollRun.count({ where: { orgId: s.org.id } })).toBe(0);

    const offline = await orgWithPolls({ apiToken: '' });
    const admin = await signedIn(offline.org, 'admin');
    const refused = await admin.agent.post(admin.host, '/pollruns', { poll: String(offline.tracked.id), region: String(offline.north.id) });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('This organization is not connected to RapidPro yet.');
  });

  it('limits a supervisor of North to North and its sub-regions', async () => {
    const s = await orgWithPolls();
    const { agent, host } = await signedIn(s.org, 'supervisor', [s.north.id]);
    const home = await agent.get(host, '/');
    expect(home.body).toContain('North One</option>');
    expect(home.body).not.toContain('South</option>');
    expect((await agent.post(host, '/pollruns', { poll: String(s.tracked.id), region: String(s.south.id), propagate: 'on' })).status).toBe(404);
    expect(await db().pollRun.count({ where: { orgId: s.org.id } })).toBe(0);

    const south = await pollRunWith(s.org, s.tracked.id, 'regional', s.south.id, [[s.contacts.d.id, 'E']]);
    for (const tab of ['', '/participation', '/responses', '/responses.csv']) expect((await agent.get(host, `/pollruns/${south.id}${tab}`)).status).toBe(404);
    expect((await agent.post(host, `/pollruns/${south.id}/restart`)).status).toBe(404);
    expect(await db().pollRunStart.count({ where: { orgId: s.org.id } })).toBe(0);

    const started = await agent.post(host, '/pollruns', { poll: String(s.tracked.id), region: String(s.northOne.id) });
    expect(started.status).toBe(303);
    const run = await db().pollRun.findFirstOrThrow({ where: { orgId: s.org.id, regionId: s.northOne.id }, include: { starts: true } });
    await takeJob(run.starts[0]!.id);
    expect((await agent.get(host, `/pollruns/${run.id}/participation`)).status).toBe(200);
  });
});

describe('restarting non-respondents', () => {
  it('is offered and allowed only for the latest region-started poll run of the region, and restarts the empty and partial ones', async () => {
    const s = await orgWithPolls();
    const { agent, host } = await signedIn(s.org, 'supervisor', [s.north.id]);
    const { a, b, c } = s.contacts;
    const x = await pollRunWith(s.org, s.tracked.id, 'regional', s.north.id, [[a.id, 'E'], [b.id, 'C'], [c.id, 'P']]);
    const page = await agent.get(host, `/pollruns/${x.id}/participation`);
    expect(page.body).toContain(`action="/pollruns/${x.id}/restart"`);
    expect(page.body).toContain('The poll will be sent again to the 2 contacts in North who have not completed it.');

    // A newer poll run visible in North (a daily one from RapidPro) makes x no longer the latest.
    const y = await pollRunWith(s.org, s.tracked.id, 'universal', null);
    expect((await agent.get(host, `/pollruns/${x.id}/participation`)).body).not.toContain('/restart"');
    const refused = await agent.post(host, `/pollruns/${x.id}/restart`);
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('Only the latest poll run started for this region can be restarted.');
    expect((await agent.post(host, `/pollruns/${y.id}/restart`)).status).toBe(400);
    // One in South is not visible in North: x stays the latest there.
    await db().pollRun.delete({ where: { id: y.id } });
    await pollRunWith(s.org, s.tracked.id, 'regional', s.south.id);

    const restarted = await agent.post(host, `/pollruns/${x.id}/restart`);
    expect(restarted.status).toBe(303);
    expect(restarted.location).toBe(`/pollruns/${x.id}/participation`);
    const start = await db().pollRunStart.findFirstOrThrow({ where: { pollRunId: x.id }, include: { batches: true } });
    expect(start).toMatchObject({ kind: 'restart', recipientCount: 2, status: 'queued' });
    expect(new Set(start.batches[0]!.contactUuids)).toEqual(new Set([a.uuid, c.uuid]));
    await takeJob(start.id);
    const after = await agent.get(host, `/pollruns/${x.id}/participation`);
    expect(after.body).toContain('The poll is being restarted for 2 contacts.');
    expect(after.body).toContain('Restart of non-respondents');
    expect(after.body).toContain('Non-respondents can be restarted once every start is sent.');

    // While it is being sent, another restart is refused with a warning.
    const again = await agent.post(host, `/pollruns/${x.id}/restart`);
    expect(again.status).toBe(303);
    expect((await agent.get(host, again.location!)).body).toContain('This poll run is still being sent. Try again once it is done.');
    expect(await db().pollRunStart.count({ where: { pollRunId: x.id } })).toBe(1);
  });
});
