import type pg from 'pg';
import { pgPool } from './pool.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { MappedContact } from '../sync/contactMapping.js';
import type { SyncCounts } from '../sync/resources.js';

type Tx = Prisma.TransactionClient;

/**
 * Applies one page of RapidPro contacts to an org, on the page's pg connection (inside its
 * transaction), in one statement. A row is written only when it is newer than the stored copy
 * (overlapping windows re-read rows: equal times are no-ops), and never over a local edit still
 * waiting to reach RapidPro. Reporter groups are brought to the wanted set by deleting only the
 * memberships no longer wanted and inserting the missing ones, so both fit in the same statement.
 * @param client the page's connection, in a transaction.
 * @param orgId the org.
 * @param rows the mapped contacts of the page.
 * @returns created, updated, deactivated and failed counts.
 */
export async function applyContactPage(client: pg.PoolClient, orgId: number, rows: MappedContact[]): Promise<SyncCounts> {
  if (!rows.length) return {};
  const byUuid = new Map<string, MappedContact>();
  for (const row of rows) {
    const seen = byUuid.get(row.uuid);
    if (!seen || seen.modifiedOn <= row.modifiedOn) byUuid.set(row.uuid, row);
  }
  const page = [...byUuid.values()];
  const col = <T>(pick: (r: MappedContact) => T) => page.map(pick);
  const pairs = page.flatMap((r) => r.reporterGroupIds.map((groupId) => [r.uuid, groupId] as const));
  const { rows: [counts] } = await client.query<{ created: number; updated: number; deactivated: number; failed: number }>(
    `WITH incoming AS (
       SELECT * FROM unnest($2::varchar[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::text[], $10::text[], $11::boolean[], $12::text[], $13::text[], $14::boolean[])
         AS u(uuid, name, urn, urns, language, region_id, groups, fields, status, is_active, modified_on, created_on, failed)
     ),
     existing AS (
       -- One unique-index probe per row, whatever the table's statistics say (a first import has none).
       SELECT c.* FROM incoming i CROSS JOIN LATERAL (
         SELECT id, uuid, is_active, rapidpro_modified_on, sync_state FROM contacts
         WHERE org_id = $1 AND uuid = i.uuid FOR UPDATE
       ) c
     ),
     wanted AS (
       SELECT i.*, e.id AS existing_id, e.is_active AS was_active FROM incoming i LEFT JOIN existing e ON e.uuid = i.uuid
       WHERE NOT i.failed AND (e.id IS NULL OR (e.sync_state <> 'pending'
             AND (e.rapidpro_modified_on IS NULL OR (i.modified_on::timestamptz AT TIME ZONE 'UTC') > e.rapidpro_modified_on)))
     ),
     written AS (
       INSERT INTO contacts (org_id, uuid, name, urn, urns, language, region_id, group_uuids, fields, status, is_active,
                             rapidpro_modified_on, rapidpro_created_on, sync_state, sync_error, created_at, updated_at)
       SELECT $1, w.uuid, w.name, w.urn, w.urns::text[], w.language, w.region_id, w.groups::text[], w.fields::jsonb,
              w.status::"ContactStatus", w.is_active, w.modified_on::timestamptz AT TIME ZONE 'UTC',
              w.created_on::timestamptz AT TIME ZONE 'UTC', 'synced', NULL, now(), now()
       FROM wanted w
       ON CONFLICT (org_id, uuid) DO UPDATE SET
         name = EXCLUDED.name, urn = EXCLUDED.urn, urns = EXCLUDED.urns, language = EXCLUDED.language,
         region_id = EXCLUDED.region_id, group_uuids = EXCLUDED.group_uuids, fields = EXCLUDED.fields,
         status = EXCLUDED.status, is_active = EXCLUDED.is_active, rapidpro_modified_on = EXCLUDED.rapidpro_modified_on,
         rapidpro_created_on = EXCLUDED.rapidpro_created_on, sync_state = 'synced', sync_error = NULL, updated_at = now()
       RETURNING id, uuid
     ),
     memberships AS (
       SELECT written.id AS contact_id, p.group_id FROM written JOIN unnest($15::varchar[], $16::int[]) AS p(uuid, group_id) ON p.uuid = written.uuid
     ),
     dropped AS (
       DELETE FROM contact_reporter_groups g
       WHERE g.org_id = $1 AND g.contact_id = ANY(ARRAY(SELECT existing_id FROM wanted WHERE existing_id IS NOT NULL))
         AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.contact_id = g.contact_id AND m.group_id = g.reporter_group_id)
     ),
     added AS (
       INSERT INTO contact_reporter_groups (org_id, contact_id, reporter_group_id)
       SELECT $1, m.contact_id, m.group_id FROM memberships m ON CONFLICT DO NOTHING
     ),
     failed_off AS (
       UPDATE contacts c SET is_active = false, updated_at = now() FROM incoming i
       WHERE c.org_id = $1 AND c.uuid = i.uuid AND i.failed AND c.is_active RETURNING 1
     )
     SELECT (SELECT count(*) FROM wanted WHERE existing_id IS NULL)::int AS created,
            (SELECT count(*) FROM wanted WHERE existing_id IS NOT NULL)::int AS updated,
            ((SELECT count(*) FROM wanted WHERE was_active AND NOT is_active) + (SELECT count(*) FROM failed_off))::int AS deactivated,
            (SELECT count(*) FROM incoming WHERE failed)::int AS failed`,
    [
      orgId, col((r) => r.uuid), col((r) => r.name), col((r) => r.urn), col((r) => arrayLiteral(r.urns)), col((r) => r.language),
      col((r) => r.regionId), col((r) => arrayLiteral(r.groupUuids)), col((r) => JSON.stringify(r.fields)), col((r) => r.status),
      col((r) => r.isActive), col((r) => r.modifiedOn.toISOString()), col((r) => r.createdOn.toISOString()), col((r) => r.failure !== null),
      pairs.map((p) => p[0]), pairs.map((p) => p[1]),
    ],
  );
  return { created: counts!.created, updated: counts!.updated, deactivated: counts!.deactivated, failed: counts!.failed };
}

/**
 * Writes a text array as a Postgres array literal, so a row's array travels inside one text[]
 * parameter (unnest cannot take arrays of arrays).
 * @param values the strings.
 * @returns e.g. {"tel:+250788","twitter:amina"}.
 */
function arrayLiteral(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

/**
 * Marks contacts deleted in RapidPro (tombstones), on the page's connection.
 * @param client the page's connection, in a transaction.
 * @param orgId the org.
 * @param uuids the tombstones' uuids.
 * @returns how many local contacts were newly marked deleted.
 */
export async function applyContactTombstones(client: pg.PoolClient, orgId: number, uuids: string[]): Promise<number> {
  if (!uuids.length) return 0;
  const result = await client.query(
    `UPDATE contacts SET status = 'deleted', is_active = false, updated_at = now()
     WHERE org_id = $1 AND uuid = ANY($2::varchar[]) AND status <> 'deleted'`,
    [orgId, uuids],
  );
  return result.rowCount ?? 0;
}

/**
 * Recomputes every contact's region and reporter groups from its stored RapidPro groups, after
 * the org changed which groups it tracks (no refetch needed, decision D3).
 * @param tx a transaction.
 * @param orgId the org.
 * @returns how many contacts changed region or active state.
 */
export async function recomputeContactMembership(tx: Tx, orgId: number): Promise<number> {
  const changed = await tx.$executeRaw`
    WITH wanted AS (
      SELECT c.id,
             (SELECT r.id FROM regions r WHERE r.org_id = ${orgId} AND r.is_active AND r.uuid = ANY(c.group_uuids)
              ORDER BY r.name, r.id LIMIT 1) AS region_id
      FROM contacts c WHERE c.org_id = ${orgId} AND c.status <> 'deleted'
    )
    UPDATE contacts c SET region_id = w.region_id,
           is_active = (w.region_id IS NOT NULL AND c.status = 'active' AND c.urn IS NOT NULL), updated_at = now()
    FROM wanted w
    WHERE c.id = w.id AND (c.region_id IS DISTINCT FROM w.region_id
           OR c.is_active IS DISTINCT FROM (w.region_id IS NOT NULL AND c.status = 'active' AND c.urn IS NOT NULL))`;
  // Only the memberships that differ change, so counters move for the contacts that moved (not the whole org).
  await tx.$executeRaw`
    DELETE FROM contact_reporter_groups m
    WHERE m.org_id = ${orgId} AND NOT EXISTS (
      SELECT 1 FROM contacts c JOIN reporter_groups g ON g.org_id = c.org_id AND g.uuid = ANY(c.group_uuids)
      WHERE c.org_id = ${orgId} AND c.id = m.contact_id AND g.id = m.reporter_group_id)`;
  await tx.$executeRaw`
    INSERT INTO contact_reporter_groups (org_id, contact_id, reporter_group_id)
    SELECT ${orgId}, c.id, g.id FROM contacts c JOIN reporter_groups g ON g.org_id = c.org_id AND g.uuid = ANY(c.group_uuids)
    WHERE c.org_id = ${orgId}
    ON CONFLICT DO NOTHING`;
  return changed;
}

/**
 * Which of some contact uuids the org does not hold yet.
 * @param orgId the org.
 * @param uuids RapidPro contact uuids.
 * @returns the unknown ones.
 */
export async function unknownContactUuids(orgId: number, uuids: string[]): Promise<string[]> {
  if (!uuids.length) return [];
  // One index probe per uuid (the fence keeps the planner from scanning the org on stale statistics).
  const { rows } = await pgPool().query<{ uuid: string }>(
    `SELECT u.uuid FROM (SELECT DISTINCT uuid FROM unnest($2::varchar[]) AS u(uuid)) u
     LEFT JOIN LATERAL (SELECT 1 AS found FROM contacts c WHERE c.org_id = $1 AND c.uuid = u.uuid OFFSET 0) k ON true
     WHERE k.found IS NULL`,
    [orgId, uuids],
  );
  return rows.map((r) => r.uuid);
}
