import { randomUUID } from 'node:crypto';
import type { Org } from '../../src/generated/prisma/client.js';
import { orgDb } from '../../src/tenancy/orgDb.js';

/** A region tree North → North One, and South, plus two reporter groups, in an org. */
export async function buildRegions(org: Org, uuids: { north?: string; northOne?: string; south?: string; teachers?: string; nurses?: string } = {}) {
  const scoped = orgDb(org.id);
  const north = await scoped.region.create({ data: { orgId: org.id, uuid: uuids.north ?? randomUUID(), name: 'North' } });
  const northOne = await scoped.region.create({ data: { orgId: org.id, uuid: uuids.northOne ?? randomUUID(), name: 'North One', parentId: north.id } });
  const south = await scoped.region.create({ data: { orgId: org.id, uuid: uuids.south ?? randomUUID(), name: 'South' } });
  const teachers = await scoped.reporterGroup.create({ data: { orgId: org.id, uuid: uuids.teachers ?? randomUUID(), name: 'Teachers' } });
  const nurses = await scoped.reporterGroup.create({ data: { orgId: org.id, uuid: uuids.nurses ?? randomUUID(), name: 'Nurses' } });
  return { north, northOne, south, teachers, nurses };
}

let phone = 788_100_000 + Math.floor(Math.random() * 800_000);

/** A fresh valid Rwandan phone URN. */
export function nextPhone(): string {
  phone += 1;
  return `tel:+250${phone}`;
}

/**
 * Builds a synced contact directly in the database.
 * @param org the org.
 * @param fields columns to set; regionId and groups are the usual ones.
 * @returns the contact.
 */
export async function buildContact(org: Org, fields: { name: string; regionId: number; groupIds?: number[]; urn?: string; values?: Record<string, string | null>; isActive?: boolean }) {
  const urn = fields.urn ?? nextPhone();
  return orgDb(org.id).contact.create({
    data: {
      orgId: org.id, uuid: randomUUID(), name: fields.name, urn, urns: [urn], language: 'eng', regionId: fields.regionId,
      fields: fields.values ?? {}, isActive: fields.isActive ?? true,
      reporterGroups: { create: (fields.groupIds ?? []).map((reporterGroupId) => ({ orgId: org.id, reporterGroupId })) },
    },
  });
}
