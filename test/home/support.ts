import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { db } from '../../src/db/client.js';
import { pgPool } from '../../src/db/pool.js';
import type { Contact, Org, PollRun, PollRunType, ResponseStatus } from '../../src/generated/prisma/client.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { buildContact } from '../contacts/support.js';
import { buildOrg } from '../support/factories.js';

const DAY = 86_400_000;

/** An instant `days` days before now (fractions allowed). */
export const daysAgo = (days: number) => new Date(Date.now() - days * DAY);

/**
 * An org in Kigali time (UTC+2, so org-local days differ from UTC ones) with regions
 * North → North One, South and East, reporter groups Teachers and Nurses, and a tracked poll.
 * @param overrides org fields to set.
 * @returns the org and its rows.
 */
export async function homeOrg(overrides: Parameters<typeof buildOrg>[0] = {}) {
  const org = await buildOrg({ timezone: 'Africa/Kigali', ...overrides });
  const scoped = orgDb(org.id);
  const region = (name: string, parentId: number | null = null) => scoped.region.create({ data: { orgId: org.id, uuid: randomUUID(), name, parentId } });
  const north = await region('North');
  const northOne = await region('North One', north.id);
  const south = await region('South');
  const east = await region('East');
  const group = (name: string) => scoped.reporterGroup.create({ data: { orgId: org.id, uuid: randomUUID(), name } });
  const teachers = await group('Teachers');
  const nurses = await group('Nurses');
  const poll = await pollNamed(org, 'Weekly School Poll');
  return { org, north, northOne, south, east, teachers, nurses, poll };
}

/**
 * A tracked poll.
 * @param org the org.
 * @param name its RapidPro name.
 * @param extra other columns.
 * @returns the poll.
 */
export function pollNamed(org: Org, name: string, extra: object = {}) {
  return db().poll.create({ data: { orgId: org.id, flowUuid: randomUUID(), rapidproName: name, isActive: true, ...extra } });
}

/**
 * A contact in a region with reporter groups.
 * @param org the org.
 * @param regionId its region.
 * @param groupIds its reporter groups.
 * @returns the contact.
 */
export function contactIn(org: Org, regionId: number, groupIds: number[] = []) {
  return buildContact(org, { name: `Contact ${randomUUID().slice(0, 6)}`, regionId, groupIds });
}

/**
 * A poll run.
 * @param org the org.
 * @param pollId the poll.
 * @param type universal, regional, propagated or spoofed.
 * @param regionId its region (null for universal).
 * @param conductedOn when.
 * @returns the poll run.
 */
export function pollRun(org: Org, pollId: number, type: PollRunType, regionId: number | null, conductedOn: Date) {
  return db().pollRun.create({ data: { orgId: org.id, pollId, type, regionId, conductedOn } });
}

/**
 * A response written as ingestion leaves it: the contact's region, reporter groups and whether it
 * counts copied onto the row (the counter triggers read them).
 * @param run the poll run.
 * @param contact the contact.
 * @param status E, P or C.
 * @param updatedOn its last change.
 * @param isActive false for a superseded response.
 * @returns the response.
 */
export async function respond(run: PollRun, contact: Contact, status: ResponseStatus, updatedOn: Date, isActive = true) {
  const groups = await db().contactReporterGroup.findMany({ where: { contactId: contact.id }, orderBy: { reporterGroupId: 'asc' } });
  return db().response.create({
    data: {
      orgId: run.orgId, pollRunId: run.id, pollId: run.pollId, contactId: contact.id, runUuid: randomUUID(), createdOn: updatedOn, updatedOn, status, isActive,
      regionId: contact.regionId, groupIds: groups.map((g) => g.reporterGroupId), contactCounted: contact.isActive && contact.regionId !== null,
    },
  });
}

/**
 * The most-active widgets recounted plainly from responses and contacts (spec §15.3), with the
 * window at the grain the counters keep: org-local days from the one of (now − 30 days) to today.
 * @param orgId the org.
 * @param by count by the contact's region, or by each of its reporter groups.
 * @param regionIds only contacts of these regions, or null.
 * @returns the top five as {id, name, responseCount}.
 */
export async function recountMostActive(orgId: number, by: 'region' | 'group', regionIds: number[] | null) {
  const target = by === 'region'
    ? 'JOIN regions x ON x.id = c.region_id AND x.is_active'
    : 'JOIN contact_reporter_groups m ON m.contact_id = c.id JOIN reporter_groups x ON x.id = m.reporter_group_id AND x.is_active';
  const { rows } = await pgPool().query<{ id: number; name: string; responseCount: number }>(
    `SELECT x.id, x.name, count(*)::int AS "responseCount"
     FROM responses r
     JOIN orgs o ON o.id = r.org_id
     JOIN contacts c ON c.id = r.contact_id AND c.is_active AND c.region_id IS NOT NULL
     ${target}
     WHERE r.org_id = $1 AND r.is_active AND r.status <> 'E'
       AND (r.updated_on AT TIME ZONE o.timezone)::date >= ((now() - interval '30 days') AT TIME ZONE o.timezone)::date
       AND (r.updated_on AT TIME ZONE o.timezone)::date <= (now() AT TIME ZONE o.timezone)::date
       AND ($2::int[] IS NULL OR c.region_id = ANY($2::int[]))
     GROUP BY x.id, x.name ORDER BY 3 DESC, x.name, x.id LIMIT 5`,
    [orgId, regionIds],
  );
  return rows;
}

/**
 * Status counts of poll runs recounted plainly (spec §12.4): active responses of active contacts
 * with a region, limited to regions.
 * @param orgId the org.
 * @param pollRunIds the poll runs.
 * @param regionIds only contacts of these regions, or null.
 * @returns poll run id → {E, P, C}.
 */
export async function recountStatuses(orgId: number, pollRunIds: number[], regionIds: number[] | null) {
  const { rows } = await pgPool().query<{ poll_run_id: number; status: 'E' | 'P' | 'C'; n: number }>(
    `SELECT r.poll_run_id, r.status::text AS status, count(*)::int AS n
     FROM responses r JOIN contacts c ON c.id = r.contact_id AND c.is_active AND c.region_id IS NOT NULL
     WHERE r.org_id = $1 AND r.is_active AND r.poll_run_id = ANY($2::int[]) AND ($3::int[] IS NULL OR c.region_id = ANY($3::int[]))
     GROUP BY 1, 2`,
    [orgId, pollRunIds, regionIds],
  );
  const counts = new Map(pollRunIds.map((id) => [id, { E: 0, P: 0, C: 0 }]));
  for (const row of rows) counts.get(row.poll_run_id)![row.status] = row.n;
  return counts;
}

/**
 * Counts the SQL statements this process sends while `work` runs (every pg client: Prisma's
 * adapter and the plain pool both go through pg.Client#query).
 * @param work the work.
 * @returns the statements sent.
 */
export async function countQueries(work: () => Promise<unknown>): Promise<number> {
  const original = pg.Client.prototype.query;
  let count = 0;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    count += 1;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    await work();
  } finally {
    pg.Client.prototype.query = original;
  }
  return count;
}
