import { randomUUID } from 'node:crypto';
import { db } from '../../src/db/client.js';
import type { Org, PollRunType, ResponseStatus, User } from '../../src/generated/prisma/client.js';
import { getQueue } from '../../src/jobs/queues.js';
import { sendMessageTask } from '../../src/jobs/tasks/SendMessageTask.js';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { buildOrg, buildUser } from '../support/factories.js';
import { testClient, TOKEN } from '../rapidpro/support.js';

/** What {@link participantsSetup} built. */
export interface ParticipantsSetup {
  org: Org;
  admin: User;
  pollId: number;
  pollRunId: number;
  north: number;
  northOne: number;
  south: number;
  /** Contacts with an active counted response, by id, with their status and region. */
  responses: { contactId: number; uuid: string; status: ResponseStatus; regionId: number }[];
}

/** The simulator's active contacts, read through its API. */
export async function remoteActiveContacts(sim: RunningSimulator): Promise<string[]> {
  return (await testClient(sim).contacts().all()).filter((c) => !c.deleted && c.status === 'active').map((c) => c.uuid);
}

/**
 * An org on the simulator with North (200) → North One (50), South (20), and one poll run whose
 * active counted responses cover `counted` contacts (statuses C, P, E in turn), plus responses that
 * must never be messaged: a superseded one, and one of a contact that does not count (inactive).
 * @param sim the simulator.
 * @param uuids the simulator's active contact uuids (at least counted + 1).
 * @param options counted: how many contacts answer; type/regionId: the poll run's placement.
 * @returns the org, its admin, regions, poll run and the counted responses.
 */
export async function participantsSetup(
  sim: RunningSimulator,
  uuids: string[],
  options: { counted?: number; type?: PollRunType; region?: 'north' | null } = {},
): Promise<ParticipantsSetup> {
  const counted = options.counted ?? 250;
  const org = await buildOrg({ apiUrl: sim.url, apiToken: TOKEN });
  const admin = await buildUser(org, { role: 'admin' });
  const region = (name: string, parentId: number | null = null) => db().region.create({ data: { orgId: org.id, uuid: randomUUID(), name, parentId } });
  const north = await region('North');
  const northOne = await region('North One', north.id);
  const south = await region('South');
  const regionOf = (i: number) => (i < 180 ? north.id : i < 230 ? northOne.id : south.id);
  await db().contact.createMany({
    data: uuids.slice(0, counted + 1).map((uuid, i) => ({ orgId: org.id, uuid, name: `C${i}`, urn: `tel:+25078800${String(i).padStart(4, '0')}`, regionId: regionOf(i), isActive: i < counted })),
  });
  const contacts = await db().contact.findMany({ where: { orgId: org.id }, orderBy: { id: 'asc' } });
  const poll = await db().poll.create({ data: { orgId: org.id, flowUuid: randomUUID(), rapidproName: 'Attendance', isActive: true } });
  const conductedOn = new Date('2024-07-01T08:00:00Z');
  const run = await db().pollRun.create({
    data: { orgId: org.id, pollId: poll.id, type: options.type ?? 'universal', regionId: options.region === 'north' ? north.id : null, conductedOn, localDay: options.type ? null : conductedOn },
  });
  const statuses: ResponseStatus[] = ['C', 'P', 'E'];
  const responses = contacts.slice(0, counted).map((c, i) => ({ contactId: c.id, uuid: c.uuid, status: statuses[i % 3]!, regionId: c.regionId! }));
  const base = { orgId: org.id, pollRunId: run.id, pollId: poll.id, createdOn: conductedOn, updatedOn: conductedOn };
  await db().response.createMany({
    data: [
      ...responses.map((r, i) => ({
        ...base, contactId: r.contactId, status: r.status, isActive: true, regionId: r.regionId, contactCounted: true,
        completedOn: r.status === 'C' ? new Date(conductedOn.getTime() + (i + 1) * 1_800_000) : null,
      })),
      // Superseded: the contact's earlier (complete) response does not make them a respondent.
      { ...base, contactId: responses[1]!.contactId, status: 'C', isActive: false, regionId: responses[1]!.regionId, contactCounted: true, createdOn: new Date(conductedOn.getTime() - 60_000) },
      // A contact that does not count (inactive) is never messaged.
      { ...base, contactId: contacts[counted]!.id, status: 'E', isActive: true, regionId: contacts[counted]!.regionId, contactCounted: false },
    ],
  });
  return { org, admin, pollId: poll.id, pollRunId: run.id, north: north.id, northOne: northOne.id, south: south.id, responses };
}

/** Takes a message's send job off the queue (asserting it was queued), so no worker runs it. */
export async function takeSendJob(messageId: number) {
  const job = await getQueue('sync').getJob(sendMessageTask.jobId(messageId));
  await job?.remove();
  return job;
}
