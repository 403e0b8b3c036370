import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { applyInboxPage, latestMessages, markMissingAsDeleted, replyStats } from '../../src/db/inbox.js';
import { withPgTransaction } from '../../src/db/pool.js';
import type { Org } from '../../src/generated/prisma/client.js';
import { replyToContact } from '../../src/inbox/replySender.js';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { MessageSchema } from '../../src/rapidpro/client/schemas.js';
import { INBOX_REREAD_MS, inboxRow } from '../../src/sync/resources/inbox.js';
import { buildContact, buildRegions } from '../contacts/support.js';
import { tracpro } from '../support/cli.js';
import { buildOrg, buildUser } from '../support/factories.js';
import { connectedOrg, syncNow } from '../sync/support.js';
import { startTestSimulator, testClient, TOKEN } from '../rapidpro/support.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startTestSimulator({ contacts: 400, weeks: 2, activity: true });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.reset();
  sim.setFaults([]);
});

const DAY_MS = 24 * 3600_000;

/** An org on the simulator with its regions, reporter groups and contacts synced. */
async function syncedOrg(): Promise<Org> {
  const { org } = await connectedOrg(sim);
  await syncNow(org.id, 'contacts');
  return org;
}

/**
 * What the inbox should hold, read plainly through the API: incoming messages (inbox and archived
 * folders) created since `after`, of contacts known to the org, by RapidPro id.
 */
async function expectedIncoming(orgId: number, after: Date) {
  const client = testClient(sim);
  const known = new Set((await db().contact.findMany({ where: { orgId }, select: { uuid: true } })).map((c) => c.uuid));
  const expected = new Map<string, { visibility: string; contactUuid: string }>();
  for (const folder of ['inbox', 'archived']) {
    for await (const m of client.messages({ folder, after })) {
      if (known.has(m.contact.uuid)) expected.set(m.key, { visibility: m.visibility, contactUuid: m.contact.uuid });
    }
  }
  return expected;
}

async function localIncoming(orgId: number) {
  const rows = await db().inboxMessage.findMany({ where: { orgId, direction: 'i' } });
  return new Map(rows.map((r) => [r.rapidproKey, r]));
}

const simNow = () => new Date(sim.clock.now());

/** RapidPro's integer id of a message (message actions take ids), from its uuid. */
async function remoteId(uuid: string): Promise<number> {
  const [message] = await testClient(sim).messages({ uuid }).all();
  return message!.id!;
}

async function messageAction(action: string, messages: number[]) {
  const response = await fetch(`${sim.url}/api/v2/message_actions.json`, {
    method: 'POST',
    headers: { Authorization: `Token ${TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ messages, action }),
  });
  expect(response.status).toBe(204);
}

describe('inbox rows', () => {
  it('are keyed by the message uuid on current servers, which send no integer id, and by the id on older ones', () => {
    const sample = JSON.parse(readFileSync('/work/shared/fixtures/rapidpro-v2-samples/messages.json', 'utf8')) as { results: Record<string, unknown>[] };
    const messages = sample.results.map((r) => MessageSchema.parse(r));
    expect(messages.every((m) => m.id === null && m.uuid !== null)).toBe(true);
    expect(messages.map((m) => inboxRow(m)?.rapidproKey)).toEqual(messages.map((m) => m.uuid));
    const legacy = MessageSchema.parse({ ...sample.results[0], uuid: undefined, id: 4242 });
    expect(inboxRow(legacy)?.rapidproKey).toBe('4242');
    expect(inboxRow(MessageSchema.parse({ ...sample.results[0], uuid: undefined }))).toBeNull();
  });
});

describe('inbox sync (rapidpro-api §7.3)', () => {
  it('imports the first time only the incoming messages of the window, then adds new ones without duplicates as windows overlap', async () => {
    const org = await syncedOrg();
    const counts = await syncNow(org.id, 'inbox');
    const expected = await expectedIncoming(org.id, new Date(simNow().getTime() - 7 * DAY_MS));
    expect(expected.size).toBeGreaterThan(10);
    const local = await localIncoming(org.id);
    expect([...local.keys()].sort()).toEqual([...expected.keys()].sort());
    expect(counts.created).toBe(expected.size);
    for (const [id, row] of local) expect(row.visibility).toBe(expected.get(id)!.visibility);
    // Nothing older than the window, though RapidPro still serves older messages.
    const older = (await testClient(sim).messages({ folder: 'inbox' }).all()).filter((m) => m.createdOn.ms < simNow().getTime() - 7 * DAY_MS - 60_000);
    expect(older.length).toBeGreaterThan(0);
    expect([...local.values()].every((r) => r.createdOn.getTime() >= simNow().getTime() - 7 * DAY_MS)).toBe(true);
    const state = await db().syncState.findFirstOrThrow({ where: { orgId: org.id, resource: 'inbox' } });
    expect(state.watermark?.toISOString()).toBe(simNow().toISOString());

    // The same window again: nothing new, nothing changed.
    expect(await syncNow(org.id, 'inbox')).toMatchObject({ created: 0, updated: 0, deleted: 0 });
    expect(await db().inboxMessage.count({ where: { orgId: org.id } })).toBe(local.size);

    // A day of activity brings new messages; the re-read overlaps the earlier windows and doubles nothing.
    sim.clock.advance(24 * 3600);
    await syncNow(org.id, 'contacts');
    await syncNow(org.id, 'inbox');
    const later = await expectedIncoming(org.id, new Date(simNow().getTime() - INBOX_REREAD_MS));
    const visible = [...(await localIncoming(org.id)).entries()].filter(([, r]) => r.createdOn.getTime() >= simNow().getTime() - INBOX_REREAD_MS && r.visibility !== 'deleted');
    expect(visible.map(([id]) => id).sort()).toEqual([...later.keys()].sort());
    const rows = await db().inboxMessage.findMany({ where: { orgId: org.id }, select: { rapidproKey: true } });
    expect(new Set(rows.map((r) => r.rapidproKey)).size).toBe(rows.length);
    expect(rows.length).toBeGreaterThan(local.size);
  });

  it('notices messages archived, restored and deleted in RapidPro on the re-read', async () => {
    const org = await syncedOrg();
    await syncNow(org.id, 'inbox');
    const [first, second] = [...(await localIncoming(org.id)).values()].filter((r) => r.visibility === 'visible');
    await messageAction('archive', [await remoteId(first!.rapidproKey)]);
    await messageAction('delete', [await remoteId(second!.rapidproKey)]);
    const counts = await syncNow(org.id, 'inbox');
    expect(counts).toMatchObject({ deleted: 1, updated: 1 });
    expect((await db().inboxMessage.findUniqueOrThrow({ where: { id: first!.id } })).visibility).toBe('archived');
    expect((await db().inboxMessage.findUniqueOrThrow({ where: { id: second!.id } })).visibility).toBe('deleted');

    await messageAction('restore', [await remoteId(first!.rapidproKey)]);
    await syncNow(org.id, 'inbox');
    expect((await db().inboxMessage.findUniqueOrThrow({ where: { id: first!.id } })).visibility).toBe('visible');
  });

  it('skips and counts messages of contacts not synced yet, and takes them once the contact is known', async () => {
    const org = await syncedOrg();
    const expected = await expectedIncoming(org.id, new Date(simNow().getTime() - 7 * DAY_MS));
    const [uuid] = [...expected.values()].map((m) => m.contactUuid);
    const ofContact = [...expected.values()].filter((m) => m.contactUuid === uuid).length;
    const contact = await db().contact.findFirstOrThrow({ where: { orgId: org.id, uuid } });
    await db().contact.update({ where: { id: contact.id }, data: { uuid: `${uuid!.slice(0, 30)}gone00` } });

    const counts = await syncNow(org.id, 'inbox');
    expect(counts.skipped).toBeGreaterThanOrEqual(ofContact);
    expect(await db().inboxMessage.count({ where: { orgId: org.id, contactId: contact.id } })).toBe(0);

    await db().contact.update({ where: { id: contact.id }, data: { uuid: uuid! } });
    await syncNow(org.id, 'inbox');
    expect(await db().inboxMessage.count({ where: { orgId: org.id, contactId: contact.id, direction: 'i' } })).toBe(ofContact);
  });

  it('puts a reply in the conversation at once, and after RapidPro sends it updates it from the sent folder', async () => {
    const org = await syncedOrg();
    const user = await buildUser(org, { role: 'supervisor' });
    await syncNow(org.id, 'inbox');
    const contact = await db().contact.findFirstOrThrow({ where: { orgId: org.id, isActive: true }, orderBy: { id: 'asc' } });
    const outcome = await replyToContact(org.id, { contact: { id: contact.id, uuid: contact.uuid }, text: 'Thank you, we will check the water point.', userId: user.id, regionId: null });
    expect(outcome.ok).toBe(true);
    const reply = await db().inboxMessage.findFirstOrThrow({ where: { orgId: org.id, contactId: contact.id, direction: 'o' } });
    expect(reply).toMatchObject({ text: 'Thank you, we will check the water point.', status: 'queued', sentOn: null });
    const message = await db().message.findFirstOrThrow({ where: { orgId: org.id, recipientGroup: 'reply' }, include: { recipients: true } });
    expect(message).toMatchObject({ status: 'sent', recipientCount: 1, sentById: user.id, pollRunId: null });
    expect(message.recipients.map((r) => r.contactId)).toEqual([contact.id]);

    sim.clock.advance(10);
    await syncNow(org.id, 'inbox');
    const [remote] = (await testClient(sim).messages({ contact: contact.uuid, after: new Date(simNow().getTime() - 60_000) }).all()).filter((m) => m.key === reply.rapidproKey);
    expect(['sent', 'delivered', 'failed']).toContain(remote!.status);
    const synced = await db().inboxMessage.findUniqueOrThrow({ where: { id: reply.id } });
    expect(synced.status).toBe(remote!.status);
    expect(synced.sentOn?.getTime() ?? null).toBe(remote!.sentOn?.ms ?? null);
    expect(await db().inboxMessage.count({ where: { orgId: org.id, direction: 'o' } })).toBe(1);
  });

  it('tracpro sync --only inbox runs the inbox sync', async () => {
    const org = await syncedOrg();
    const result = await tracpro('sync', '--org', org.subdomain, '--only', 'inbox', '--wait');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^inbox: created [1-9]\d*, updated 0, deactivated 0, deleted 0, failed 0$/m);
  });
});

/** A plain recount of unanswered messages and the median wait for a first reply, per region. */
function recount(messages: { contactId: number; regionId: number; direction: 'i' | 'o'; createdOn: Date; id: number }[], now: Date) {
  const since = now.getTime() - 30 * DAY_MS;
  const inWindow = messages.filter((m) => m.createdOn.getTime() > since && m.createdOn <= now).sort((a, b) => a.createdOn.getTime() - b.createdOn.getTime() || a.id - b.id);
  const byRegion = new Map<number, { unanswered: number; waits: number[] }>();
  for (const contactId of new Set(inWindow.map((m) => m.contactId))) {
    const mine = inWindow.filter((m) => m.contactId === contactId);
    mine.forEach((m, i) => {
      if (m.direction !== 'i') return;
      const region = byRegion.get(m.regionId) ?? { unanswered: 0, waits: [] };
      byRegion.set(m.regionId, region);
      const reply = mine.slice(i + 1).find((n) => n.direction === 'o');
      if (!reply) region.unanswered++;
      else if (i === 0 || mine[i - 1]!.direction === 'o') region.waits.push((reply.createdOn.getTime() - m.createdOn.getTime()) / 1000);
    });
  }
  const median = (values: number[]) => {
    if (!values.length) return null;
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  return [...byRegion.entries()]
    .map(([regionId, r]) => ({ regionId, unanswered: r.unanswered, answered: r.waits.length, medianReplySeconds: median(r.waits) }))
    .sort((a, b) => a.regionId - b.regionId);
}

describe('reply statistics per region', () => {
  it('unanswered messages and the median time to first reply equal a plain recount', async () => {
    const org = await buildOrg();
    const regions = await buildRegions(org);
    const now = new Date('2024-07-01T12:00:00Z');
    const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * 3600_000);
    const people = [
      await buildContact(org, { name: 'A', regionId: regions.north.id, groupIds: [regions.teachers.id] }),
      await buildContact(org, { name: 'B', regionId: regions.north.id }),
      await buildContact(org, { name: 'C', regionId: regions.northOne.id, groupIds: [regions.teachers.id] }),
      await buildContact(org, { name: 'D', regionId: regions.south.id }),
    ];
    // [contact, direction, hours ago]: waits answered, a streak answered once, unanswered ones, one too old.
    const script: [number, 'i' | 'o', number][] = [
      [0, 'i', 100], [0, 'o', 97], [0, 'i', 50], [0, 'i', 49], [0, 'o', 40], [0, 'i', 2],
      [1, 'i', 30], [1, 'o', 29.5], [1, 'i', 10],
      [2, 'i', 31 * 24], [2, 'o', 20], [2, 'i', 5], [2, 'i', 4],
      [3, 'i', 8], [3, 'o', 7], [3, 'o', 1], [3, 'i', 0.5],
    ];
    let id = 1;
    await withPgTransaction((client) =>
      applyInboxPage(client, org.id, script.map(([who, direction, hoursAgo]) => ({
        rapidproKey: String(900_000 + id++), contactUuid: people[who]!.uuid, text: `${direction} ${hoursAgo}`, direction, visibility: 'visible', status: direction === 'i' ? 'handled' : 'sent',
        createdOn: at(hoursAgo), sentOn: null, modifiedOn: at(hoursAgo),
      }))),
    );
    // A deleted message counts for nothing.
    await db().inboxMessage.create({ data: { orgId: org.id, rapidproKey: '999999', contactId: people[3]!.id, direction: 'i', visibility: 'deleted', createdOn: at(3) } });

    const rows = await db().inboxMessage.findMany({ where: { orgId: org.id, visibility: { not: 'deleted' } } });
    const regionOf = new Map(people.map((p) => [p.id, p.regionId!]));
    const plain = (regionIds: number[] | null, group: number | null) => {
      const members = new Set(people.filter((p, i) => (group === null || [0, 2].includes(i)) && (regionIds === null || regionIds.includes(p.regionId!))).map((p) => p.id));
      return recount(rows.filter((r) => members.has(r.contactId)).map((r) => ({ contactId: r.contactId, regionId: regionOf.get(r.contactId)!, direction: r.direction as 'i' | 'o', createdOn: r.createdOn, id: r.id })), now);
    };
    for (const [regionIds, group] of [[null, null], [[regions.north.id, regions.northOne.id], null], [null, regions.teachers.id], [[regions.south.id], null]] as const) {
      expect(await replyStats(org.id, { regionIds: regionIds ? [...regionIds] : null, reporterGroupId: group }, now)).toEqual(plain(regionIds ? [...regionIds] : null, group));
    }
    // Spelled out for North: A waited 3 h, then 10 h for a streak of two, and 2 h ago is unanswered; B waited 30 min, then 10 h ago is unanswered.
    const north = (await replyStats(org.id, { regionIds: null, reporterGroupId: null }, now)).find((r) => r.regionId === regions.north.id);
    expect(north).toEqual({ regionId: regions.north.id, unanswered: 2, answered: 3, medianReplySeconds: 3 * 3600 });
  });

  it('lists each contact\'s latest message for contacts who wrote in, in the scope, newest first; raw writes stay in their org', async () => {
    const org = await buildOrg();
    const other = await buildOrg();
    const regions = await buildRegions(org);
    const a = await buildContact(org, { name: 'A', regionId: regions.north.id });
    const b = await buildContact(org, { name: 'B', regionId: regions.south.id });
    const c = await buildContact(org, { name: 'Only broadcasts', regionId: regions.north.id });
    const row = (id: number, uuid: string, direction: 'i' | 'o', created: string) => ({
      rapidproKey: String(id), contactUuid: uuid, text: `m${id}`, direction, visibility: 'visible', status: 'handled', createdOn: new Date(created), sentOn: null, modifiedOn: new Date(created),
    });
    const page = [row(1, a.uuid, 'i', '2024-06-01T10:00:00Z'), row(2, a.uuid, 'o', '2024-06-02T10:00:00Z'), row(3, b.uuid, 'i', '2024-06-03T10:00:00Z'), row(4, c.uuid, 'o', '2024-06-04T10:00:00Z')];
    // Another org knows none of these contacts: everything is skipped there.
    expect(await withPgTransaction((client) => applyInboxPage(client, other.id, page))).toEqual({ created: 0, updated: 0, skipped: 4 });
    expect(await withPgTransaction((client) => applyInboxPage(client, org.id, page))).toEqual({ created: 4, updated: 0, skipped: 0 });
    expect(await withPgTransaction((client) => applyInboxPage(client, org.id, page))).toEqual({ created: 0, updated: 0, skipped: 0 });
    expect(await withPgTransaction((client) => markMissingAsDeleted(client, other.id, new Date(0), []))).toBe(0);

    const all = await latestMessages(org.id, { regionIds: null, reporterGroupId: null }, { skip: 0, take: 25 });
    expect(all.total).toBe(2);
    expect(all.rows.map((r) => [r.contactName, r.text, r.direction])).toEqual([['B', 'm3', 'i'], ['A', 'm2', 'o']]);
    expect((await latestMessages(org.id, { regionIds: [regions.north.id], reporterGroupId: null }, { skip: 0, take: 25 })).rows.map((r) => r.contactName)).toEqual(['A']);
    expect(await latestMessages(org.id, { regionIds: null, reporterGroupId: null }, { skip: 25, take: 25 })).toEqual({ rows: [], total: 2 });
    expect((await latestMessages(other.id, { regionIds: null, reporterGroupId: null }, { skip: 0, take: 25 })).total).toBe(0);
  });
});
