import type pg from 'pg';
import type { Prisma } from '../generated/prisma/client.js';
import type { MappedContact } from '../sync/contactMapping.js';
import type { SyncCounts } from '../sync/resources.js';

type Tx = Prisma.TransactionClient;

interface ExistingContact {
  id: number;
  uuid: string;
  is_active: boolean;
  rapidpro_modified_on: Date | null;
  sync_state: string;
}

/**
 * Applies one page of RapidPro contacts to an org, on the page's pg connection (inside its
 * transaction). A row is written only when it is newer than the stored copy (overlapping windows
 * re-read rows: equal times are no-ops), and never over a local edit still waiting to reach RapidPro.
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
  const { rows: existing } = await client.query<ExistingContact>(
    `SELECT id, uuid, is_active, rapidpro_modified_on, sync_state::text AS sync_state
     FROM contacts WHERE org_id = $1 AND uuid = ANY($2::text[])`,
    [orgId, [...byUuid.keys()]],
  );
  const known = new Map(existing.map((e) => [e.uuid, e]));
  const counts = { created: 0, updated: 0, deactivated: 0, failed: 0 };
  const writes: MappedContact[] = [];
  const deactivateFailed: string[] = [];
  for (const row of byUuid.values()) {
    const current = known.get(row.uuid);
    if (row.failure) {
      counts.failed++;
      if (current?.is_active) deactivateFailed.push(row.uuid);
      continue;
    }
    if (!current) {
      counts.created++;
      writes.push(row);
    } else if (current.sync_state !== 'pending' && (!current.rapidpro_modified_on || row.modifiedOn > current.rapidpro_modified_on)) {
      counts.updated++;
      if (current.is_active && !row.isActive) counts.deactivated++;
      writes.push(row);
    }
  }
  if (deactivateFailed.length) {
    await client.query('UPDATE contacts SET is_active = false, updated_at = now() WHERE org_id = $1 AND uuid = ANY($2::text[])', [orgId, deactivateFailed]);
    counts.deactivated += deactivateFailed.length;
  }
  const rewritten = writes.map((w) => known.get(w.uuid)?.id).filter((id): id is number => id !== undefined);
  if (rewritten.length) await client.query('DELETE FROM contact_reporter_groups WHERE org_id = $1 AND contact_id = ANY($2::int[])', [orgId, rewritten]);
  if (writes.length) await upsertContacts(client, orgId, writes);
  return counts;
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

/** Writes contacts and their reporter groups in one statement (the caller cleared old memberships). */
async function upsertContacts(client: pg.PoolClient, orgId: number, rows: MappedContact[]): Promise<void> {
  const col = <T>(pick: (r: MappedContact) => T) => rows.map(pick);
  const pairs = rows.flatMap((r) => r.reporterGroupIds.map((groupId) => [r.uuid, groupId] as const));
  await client.query(
    `WITH written AS (
       INSERT INTO contacts (org_id, uuid, name, urn, urns, language, region_id, group_uuids, fields, status, is_active,
                             rapidpro_modified_on, rapidpro_created_on, sync_state, sync_error, created_at, updated_at)
       SELECT $1, u.uuid, u.name, u.urn, u.urns::text[], u.language, u.region_id,
              u.groups::text[], u.fields::jsonb, u.status::"ContactStatus", u.is_active,
              u.modified_on::timestamptz AT TIME ZONE 'UTC', u.created_on::timestamptz AT TIME ZONE 'UTC', 'synced', NULL, now(), now()
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::text[], $10::text[], $11::boolean[], $12::text[], $13::text[])
         AS u(uuid, name, urn, urns, language, region_id, groups, fields, status, is_active, modified_on, created_on)
       ON CONFLICT (org_id, uuid) DO UPDATE SET
         name = EXCLUDED.name, urn = EXCLUDED.urn, urns = EXCLUDED.urns, language = EXCLUDED.language,
         region_id = EXCLUDED.region_id, group_uuids = EXCLUDED.group_uuids, fields = EXCLUDED.fields,
         status = EXCLUDED.status, is_active = EXCLUDED.is_active, rapidpro_modified_on = EXCLUDED.rapidpro_modified_on,
         rapidpro_created_on = EXCLUDED.rapidpro_created_on, sync_state = 'synced', sync_error = NULL, updated_at = now()
       RETURNING id, uuid
     )
     INSERT INTO contact_reporter_groups (org_id, contact_id, reporter_group_id)
     SELECT $1, written.id, p.group_id FROM written JOIN unnest($14::text[], $15::int[]) AS p(uuid, group_id) ON p.uuid = written.uuid
     ON CONFLICT DO NOTHING`,
    [
      orgId, col((r) => r.uuid), col((r) => r.name), col((r) => r.urn), col((r) => arrayLiteral(r.urns)), col((r) => r.language),
      col((r) => r.regionId), col((r) => arrayLiteral(r.groupUuids)), col((r) => JSON.stringify(r.fields)), col((r) => r.status),
      col((r) => r.isActive), col((r) => r.modifiedOn.toISOString()), col((r) => r.createdOn.toISOString()),
      pairs.map((p) => p[0]), pairs.map((p) => p[1]),
    ],
  );
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
     WHERE org_id = $1 AND uuid = ANY($2::text[]) AND status <> 'deleted'`,
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
  await tx.$executeRaw`DELETE FROM contact_reporter_groups WHERE org_id = ${orgId}`;
  await tx.$executeRaw`
    INSERT INTO contact_reporter_groups (org_id, contact_id, reporter_group_id)
    SELECT ${orgId}, c.id, g.id FROM contacts c JOIN reporter_groups g ON g.org_id = c.org_id AND g.uuid = ANY(c.group_uuids)
    WHERE c.org_id = ${orgId}
    ON CONFLICT DO NOTHING`;
  return changed;
}
