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
 * Applies one page of RapidPro contacts to an org, in the caller's transaction. A row is written
 * only when it is newer than the stored copy (overlapping windows re-read rows: equal times are
 * no-ops), and never over a local edit still waiting to reach RapidPro.
 * @param tx the page's transaction.
 * @param orgId the org.
 * @param rows the mapped contacts of the page.
 * @returns created, updated, deactivated and failed counts.
 */
export async function applyContactPage(tx: Tx, orgId: number, rows: MappedContact[]): Promise<SyncCounts> {
  if (!rows.length) return {};
  const byUuid = new Map<string, MappedContact>();
  for (const row of rows) {
    const seen = byUuid.get(row.uuid);
    if (!seen || seen.modifiedOn <= row.modifiedOn) byUuid.set(row.uuid, row);
  }
  const uuids = [...byUuid.keys()];
  const existing = await tx.$queryRaw<ExistingContact[]>`
    SELECT id, uuid, is_active, rapidpro_modified_on, sync_state::text AS sync_state
    FROM contacts WHERE org_id = ${orgId} AND uuid = ANY(${uuids}::text[])`;
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
    await tx.$executeRaw`UPDATE contacts SET is_active = false, updated_at = now() WHERE org_id = ${orgId} AND uuid = ANY(${deactivateFailed}::text[])`;
    counts.deactivated += deactivateFailed.length;
  }
  if (writes.length) await upsertContacts(tx, orgId, writes);
  return counts;
}

async function upsertContacts(tx: Tx, orgId: number, rows: MappedContact[]): Promise<void> {
  const col = <T>(pick: (r: MappedContact) => T) => rows.map(pick);
  const written = await tx.$queryRaw<{ id: number; uuid: string }[]>`
    INSERT INTO contacts (org_id, uuid, name, urn, urns, language, region_id, group_uuids, fields, status, is_active,
                          rapidpro_modified_on, rapidpro_created_on, sync_state, sync_error, created_at, updated_at)
    SELECT ${orgId}, u.uuid, u.name, u.urn, ARRAY(SELECT jsonb_array_elements_text(u.urns::jsonb)), u.language, u.region_id,
           ARRAY(SELECT jsonb_array_elements_text(u.groups::jsonb)), u.fields::jsonb, u.status::"ContactStatus", u.is_active,
           u.modified_on::timestamp, u.created_on::timestamp, 'synced', NULL, now(), now()
    FROM unnest(${col((r) => r.uuid)}::text[], ${col((r) => r.name)}::text[], ${col((r) => r.urn)}::text[],
                ${col((r) => JSON.stringify(r.urns))}::text[], ${col((r) => r.language)}::text[], ${col((r) => r.regionId)}::int[],
                ${col((r) => JSON.stringify(r.groupUuids))}::text[], ${col((r) => JSON.stringify(r.fields))}::text[],
                ${col((r) => r.status)}::text[], ${col((r) => r.isActive)}::boolean[],
                ${col((r) => r.modifiedOn.toISOString())}::text[], ${col((r) => r.createdOn.toISOString())}::text[])
      AS u(uuid, name, urn, urns, language, region_id, groups, fields, status, is_active, modified_on, created_on)
    ON CONFLICT (org_id, uuid) DO UPDATE SET
      name = EXCLUDED.name, urn = EXCLUDED.urn, urns = EXCLUDED.urns, language = EXCLUDED.language,
      region_id = EXCLUDED.region_id, group_uuids = EXCLUDED.group_uuids, fields = EXCLUDED.fields,
      status = EXCLUDED.status, is_active = EXCLUDED.is_active, rapidpro_modified_on = EXCLUDED.rapidpro_modified_on,
      rapidpro_created_on = EXCLUDED.rapidpro_created_on, sync_state = 'synced', sync_error = NULL, updated_at = now()
    RETURNING id, uuid`;
  const ids = new Map(written.map((w) => [w.uuid, w.id]));
  const contactIds = written.map((w) => w.id);
  await tx.$executeRaw`DELETE FROM contact_reporter_groups WHERE org_id = ${orgId} AND contact_id = ANY(${contactIds}::int[])`;
  const pairs = rows.flatMap((r) => r.reporterGroupIds.map((groupId) => [ids.get(r.uuid)!, groupId] as const));
  if (pairs.length) {
    await tx.$executeRaw`
      INSERT INTO contact_reporter_groups (org_id, contact_id, reporter_group_id)
      SELECT ${orgId}, c, g FROM unnest(${pairs.map((p) => p[0])}::int[], ${pairs.map((p) => p[1])}::int[]) AS x(c, g)
      ON CONFLICT DO NOTHING`;
  }
}

/**
 * Marks contacts deleted in RapidPro (tombstones), in the caller's transaction.
 * @param tx the page's transaction.
 * @param orgId the org.
 * @param uuids the tombstones' uuids.
 * @returns how many local contacts were newly marked deleted.
 */
export async function applyContactTombstones(tx: Tx, orgId: number, uuids: string[]): Promise<number> {
  if (!uuids.length) return 0;
  return tx.$executeRaw`
    UPDATE contacts SET status = 'deleted', is_active = false, updated_at = now()
    WHERE org_id = ${orgId} AND uuid = ANY(${uuids}::text[]) AND status <> 'deleted'`;
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
