import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { applyRunPage } from '../../src/db/pollRunIngest.js';
import { withPgTransaction } from '../../src/db/pool.js';
import { completionSeries, REMINDER_HOURS, reminderMarkers } from '../../src/db/reminderReads.js';
import type { Org, ResponseStatus, Role } from '../../src/generated/prisma/client.js';
import { mapRun } from '../../src/pollruns/runMapping.js';
import { RunSchema } from '../../src/rapidpro/client/index.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { buildContact, buildRegions } from '../contacts/support.js';
import { buildOrg, buildUser, TEST_PASSWORD } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

let app: TestServer;
beforeAll(async () => {
  app = await startTestServer();
});
afterAll(() => app.close());

const HOUR = 3_600_000;
const START = new Date('2024-07-01T08:00:00Z');

/**
 * A poll run of North started at START with responses completed at given hours after it (null:
 * never; negative: before the start), in North, North One and South; plus responses that must not
 * count (superseded, of a contact that does not count); and messages sent to some participants.
 */
async function setup() {
  const org = await buildOrg();
  const regions = await buildRegions(org);
  const poll = await db().poll.create({ data: { orgId: org.id, flowUuid: randomUUID(), rapidproName: 'Attendance', isActive: true } });
  const run = await db().pollRun.create({ data: { orgId: org.id, pollId: poll.id, type: 'propagated', regionId: regions.north.id, conductedOn: START } });
  const plan: [number, number | null][] = [
    [regions.north.id, 0.5], [regions.north.id, 1], [regions.north.id, 1.0001], [regions.north.id, 5], [regions.north.id, null], [regions.north.id, -2],
    [regions.northOne.id, 24], [regions.northOne.id, 30.25], [regions.northOne.id, 200], [regions.northOne.id, null],
    [regions.south.id, 2], [regions.south.id, 167.9],
  ];
  const responses: { contactId: number; regionId: number; completedOn: Date | null }[] = [];
  for (const [i, [regionId, hours]] of plan.entries()) {
    const contact = await buildContact(org, { name: `C${i}`, regionId });
    const completedOn = hours === null ? null : new Date(START.getTime() + hours * HOUR);
    const status: ResponseStatus = completedOn ? 'C' : 'P';
    await db().response.create({ data: { orgId: org.id, pollRunId: run.id, pollId: poll.id, contactId: contact.id, createdOn: START, updatedOn: START, status, completedOn, regionId, contactCounted: true } });
    responses.push({ contactId: contact.id, regionId, completedOn });
  }
  // Neither a superseded complete response nor a contact that does not count adds to the series.
  await db().response.create({ data: { orgId: org.id, pollRunId: run.id, pollId: poll.id, contactId: responses[4]!.contactId, createdOn: START, updatedOn: START, status: 'C', completedOn: START, isActive: false, regionId: regions.north.id, contactCounted: true } });
  const gone = await buildContact(org, { name: 'Gone', regionId: regions.north.id, isActive: false });
  await db().response.create({ data: { orgId: org.id, pollRunId: run.id, pollId: poll.id, contactId: gone.id, createdOn: START, updatedOn: START, status: 'C', completedOn: START, regionId: regions.north.id, contactCounted: false } });

  const message = async (recipients: number[], sentHours: number | null, status = 'sent', text = 'Please answer') => {
    const m = await db().message.create({
      data: { orgId: org.id, text, pollRunId: run.id, recipientGroup: 'non_respondents', status, recipientCount: recipients.length, createdAt: new Date(), sentAt: new Date() },
    });
    await db().messageRecipient.createMany({ data: recipients.map((contactId) => ({ orgId: org.id, messageId: m.id, contactId })) });
    if (sentHours !== null) await db().messageBatch.create({ data: { orgId: org.id, messageId: m.id, batchNo: 1, contactUuids: [], rapidproBroadcastId: randomUUID(), sentAt: new Date(START.getTime() + sentHours * HOUR) } });
    return m;
  };
  const toNorth = await message([responses[4]!.contactId, responses[9]!.contactId], 12, 'sent', 'Reminder to North');
  const toSouth = await message([responses[10]!.contactId], 48, 'sent', 'Reminder to South');
  await message([responses[4]!.contactId], 60, 'failed', 'Failed');
  return { org, regions, run, responses, toNorth, toSouth };
}

/** The plain recount: per hour h, responses of the regions completed by start + h hours. */
function recount(responses: { regionId: number; completedOn: Date | null }[], regionIds: number[] | null) {
  const mine = responses.filter((r) => regionIds === null || regionIds.includes(r.regionId));
  return {
    total: mine.length,
    complete: Array.from({ length: REMINDER_HOURS + 1 }, (_, h) => mine.filter((r) => r.completedOn && r.completedOn.getTime() <= START.getTime() + h * HOUR).length),
  };
}

describe('effect of reminders: the hourly series', () => {
  it('equals a plain recount hour by hour, for every region context, with markers at the messages that reached it', async () => {
    const s = await setup();
    for (const regionIds of [null, [s.regions.north.id, s.regions.northOne.id], [s.regions.northOne.id], [s.regions.south.id]]) {
      const series = await completionSeries(s.org.id, s.run.id, regionIds);
      expect(series).toEqual({ start: START, ...recount(s.responses, regionIds) });
    }
    const all = await completionSeries(s.org.id, s.run.id, null);
    // Spelled out: a completion before the start counts from hour 0; one at exactly 1 h counts at hour 1; 1.0001 h at hour 2.
    expect(all!.complete.slice(0, 3)).toEqual([1, 3, 5]);
    expect(all!.complete[REMINDER_HOURS]).toBe(9);

    expect((await reminderMarkers(s.org.id, s.run.id, null)).map((m) => [m.messageId, m.sentAt.toISOString(), m.recipients])).toEqual([
      [s.toNorth.id, '2024-07-01T20:00:00.000Z', 2],
      [s.toSouth.id, '2024-07-03T08:00:00.000Z', 1],
    ]);
    expect((await reminderMarkers(s.org.id, s.run.id, [s.regions.northOne.id])).map((m) => [m.messageId, m.recipients])).toEqual([[s.toNorth.id, 1]]);
    expect(await reminderMarkers(s.org.id, s.run.id, [s.regions.south.id])).toHaveLength(1);
  });

  it('reads only the org it is given', async () => {
    const s = await setup();
    const other = await buildOrg();
    expect(await completionSeries(other.id, s.run.id, null)).toBeNull();
    expect(await reminderMarkers(other.id, s.run.id, null)).toEqual([]);
  });

  it('shapes the chart\'s datasets: the share line and a marker per message', async () => {
    // The chart module's dataset shaping is a pure function of the browser module (no types: plain JS).
    const { reminderDatasets } = (await import('../../static/js/charts/reminders.js' as string)) as { reminderDatasets: (data: object) => { data: { x: number; y: number }[] }[] };
    const datasets = reminderDatasets({
      labels: { share: 'Complete', marker: 'Message sent' },
      points: [{ hour: 0, complete: 0, share: 0 }, { hour: 1, complete: 2, share: 50 }],
      markers: [{ hour: 0.5, label: 'x', text: 'Remember', sentAt: '' }],
    });
    expect(datasets[0]!.data).toEqual([{ x: 0, y: 0, complete: 0 }, { x: 1, y: 50, complete: 2 }]);
    expect(datasets[1]!.data.map((p) => [p.x, p.y])).toEqual([[0.5, 100]]);
  });
});

describe('effect of reminders: when a response became complete', () => {
  it('is kept from the first ingestion that saw it complete, so later re-reads of the run do not move it along the series', async () => {
    const org = await buildOrg();
    const regions = await buildRegions(org);
    const poll = await db().poll.create({ data: { orgId: org.id, flowUuid: randomUUID(), rapidproName: 'Attendance', isActive: true } });
    const question = await db().question.create({ data: { orgId: org.id, pollId: poll.id, key: 'pupils', rapidproName: 'Pupils', type: 'numeric', flowOrder: 1 } });
    const contact = await buildContact(org, { name: 'Ann', regionId: regions.north.id });
    const tracked = { pollId: poll.id, questionsByKey: new Map([['pupils', question.id]]), questionsByNode: new Map<string, number>() };
    const uuid = randomUUID();
    // One run read three times as RapidPro changes it: partial; completed (this server sends no
    // exited_on, so the completion time is the modification's); modified again two days later.
    const read = (modified: string, completed: boolean) => mapRun(RunSchema.parse({
      uuid, flow: { uuid: poll.flowUuid, name: 'Attendance' }, contact: { uuid: contact.uuid, name: null }, start: null, responded: true, path: null,
      values: { pupils: { name: 'pupils', value: '12', category: '12', node: randomUUID(), time: '2024-07-01T08:30:00Z' } },
      created_on: '2024-07-01T08:00:00Z', modified_on: modified, exited_on: null, exit_type: completed ? 'completed' : null,
    }), tracked, org.timezone);
    const ingest = (modified: string, completed: boolean) => withPgTransaction((client) => applyRunPage(client, org.id, [read(modified, completed)]));

    await ingest('2024-07-01T08:30:00Z', false);
    const response = await db().response.findFirstOrThrow({ where: { orgId: org.id, runUuid: uuid } });
    expect([response.status, response.completedOn]).toEqual(['P', null]);
    await ingest('2024-07-01T10:00:00Z', true);
    await ingest('2024-07-03T09:00:00Z', true);
    const complete = await db().response.findUniqueOrThrow({ where: { id: response.id } });
    expect(complete.status).toBe('C');
    expect(complete.completedOn?.toISOString()).toBe('2024-07-01T10:00:00.000Z');

    const series = (await completionSeries(org.id, complete.pollRunId, null))!;
    expect(series.start.toISOString()).toBe('2024-07-01T08:00:00.000Z');
    expect(series.total).toBe(1);
    // Complete from hour 2 (10:00), not from hour 49 (the last re-read).
    expect(series.complete.slice(0, 4)).toEqual([0, 0, 1, 1]);
  });
});

async function signedIn(org: Org, role: Role, regionIds: number[] = []) {
  const user = await buildUser(org, { role });
  for (const regionId of regionIds) await orgDb(org.id).regionAccess.create({ data: { orgId: org.id, userId: user.id, regionId } });
  const agent = app.agent();
  await agent.signIn(user.email, TEST_PASSWORD);
  return { agent, host: agent.host(org.subdomain) };
}

describe('GET /pollruns/:id/reminders.json', () => {
  it('gives the series, the markers and the table in the region context, for every reader', async () => {
    const s = await setup();
    const viewer = await signedIn(s.org, 'viewer');
    const response = await viewer.agent.get(viewer.host, `/pollruns/${s.run.id}/reminders.json?region=${s.regions.northOne.id}&sub=1`);
    expect(response.status).toBe(200);
    const body = JSON.parse(response.body);
    const plain = recount(s.responses, [s.regions.northOne.id]);
    expect(body.total).toBe(plain.total);
    expect(body.points).toHaveLength(REMINDER_HOURS + 1);
    expect(body.points.map((p: { complete: number }) => p.complete)).toEqual(plain.complete);
    expect(body.points[31]).toEqual({ hour: 31, complete: 2, share: 50 });
    expect(body.markers).toEqual([expect.objectContaining({ hour: 12, text: 'Reminder to North' })]);
    expect(body.table.rows.find((row: unknown[]) => row[0] === 12)).toEqual([12, 0, 4, 0, 'Non-respondents: 1 recipients']);

    const all = JSON.parse((await viewer.agent.get(viewer.host, `/pollruns/${s.run.id}/reminders.json?region=all`)).body);
    expect(all.markers.map((m: { hour: number }) => m.hour)).toEqual([12, 48]);
  });

  it('stops a young poll run\'s series at the current hour, or at its latest completion when RapidPro\'s clock runs ahead', async () => {
    /** Hours shown for a poll run started at `start`, answered 5 hours and messaged 1 hour after it. */
    const hoursShown = async (start: Date) => {
      const s = await setup();
      await db().pollRun.update({ where: { id: s.run.id }, data: { conductedOn: start } });
      await db().response.updateMany({ where: { pollRunId: s.run.id, completedOn: { not: null } }, data: { completedOn: new Date(start.getTime() + 5 * HOUR) } });
      await db().messageBatch.updateMany({ where: { orgId: s.org.id }, data: { sentAt: new Date(start.getTime() + HOUR) } });
      const admin = await signedIn(s.org, 'admin');
      return JSON.parse((await admin.agent.get(admin.host, `/pollruns/${s.run.id}/reminders.json?region=all`)).body).points.length - 1;
    };
    // Started ten hours ago: hours 0 to 10, not the hours still to come.
    expect(await hoursShown(new Date(Date.now() - 10 * HOUR - 60_000))).toBe(10);
    // Started "in two hours" on RapidPro's clock, answered five hours after: up to that hour.
    expect(await hoursShown(new Date(Date.now() + 2 * HOUR))).toBe(5);
  });

  it('answers 404 outside the reader\'s regions and for another org; signed out goes to sign-in', async () => {
    const s = await setup();
    const anonymous = app.agent();
    expect((await anonymous.get(anonymous.host(s.org.subdomain), `/pollruns/${s.run.id}/reminders.json`)).status).toBe(303);
    const south = await signedIn(s.org, 'supervisor', [s.regions.south.id]);
    expect((await south.agent.get(south.host, `/pollruns/${s.run.id}/reminders.json`)).status).toBe(404);
    const outsider = await signedIn(await buildOrg(), 'admin');
    expect((await outsider.agent.get(outsider.agent.host(s.org.subdomain), `/pollruns/${s.run.id}/reminders.json`)).status).toBe(404);
    const northOne = await signedIn(s.org, 'supervisor', [s.regions.northOne.id]);
    expect((await northOne.agent.get(northOne.host, `/pollruns/${s.run.id}/reminders.json`)).status).toBe(200);
    // From North itself, with or without sub-regions, the run is its own.
    const north = await signedIn(s.org, 'supervisor', [s.regions.north.id]);
    expect((await north.agent.get(north.host, `/pollruns/${s.run.id}/reminders.json?sub=0`)).status).toBe(200);
    // A viewer with assigned regions (D1) is held to them as a supervisor is.
    const southViewer = await signedIn(s.org, 'viewer', [s.regions.south.id]);
    expect((await southViewer.agent.get(southViewer.host, `/pollruns/${s.run.id}/reminders.json`)).status).toBe(404);
    const northOneViewer = await signedIn(s.org, 'viewer', [s.regions.northOne.id]);
    const seen = await northOneViewer.agent.get(northOneViewer.host, `/pollruns/${s.run.id}/reminders.json?region=${s.regions.north.id}&sub=1`);
    expect(seen.status).toBe(200);
    const body = JSON.parse(seen.body);
    expect([body.total, body.points.map((p: { complete: number }) => p.complete)]).toEqual([recount(s.responses, [s.regions.northOne.id]).total, recount(s.responses, [s.regions.northOne.id]).complete]);
    expect(body.markers.map((m: { text: string }) => m.text)).toEqual(['Reminder to North']);
  });
});
