import { db } from '../db/client.js';
import { msg } from '../i18n/msg.js';
import { hasCycle } from '../regions/tree.js';

/** The result of a hierarchy save, in the JSON shape of spec §17.5. */
export interface HierarchyResult {
  success: boolean;
  status: 200 | 400;
  message: string;
}

/**
 * Saves the region tree (spec §17.5): every active region of the org with its parent and boundary,
 * validated in the spec's order (plus no cycles), then applied in one transaction.
 * @param orgId the org.
 * @param raw `{ "<regionId>": [parentId|null, boundaryId|null], … }`, or that object as a JSON string.
 * @returns success, or the first problem as a message key.
 */
export async function updateHierarchy(orgId: number, raw: unknown): Promise<HierarchyResult> {
  const fail = (message: string): HierarchyResult => ({ success: false, status: 400, message });
  if (raw === undefined || raw === null || raw === '') return fail(msg('No data was sent.'));
  let data: unknown = raw;
  if (typeof raw === 'string') {
    try {
      data = JSON.parse(raw);
    } catch {
      return fail(msg('The data is not valid JSON.'));
    }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return fail(msg('The data must be an object.'));
  const entries = Object.entries(data as Record<string, unknown>);
  if (entries.some(([, v]) => !Array.isArray(v) || v.length !== 2)) return fail(msg('Each region needs a parent and a boundary.'));
  const [regions, boundaries] = await Promise.all([
    db().region.findMany({ where: { orgId, isActive: true }, select: { id: true } }),
    db().boundary.findMany({ where: { orgId }, select: { id: true } }),
  ]);
  const regionIds = new Set(regions.map((r) => String(r.id)));
  const keys = entries.map(([k]) => k);
  if (keys.length !== regionIds.size || keys.some((k) => !regionIds.has(k))) return fail(msg('The data must list exactly the active regions of this organization.'));
  const boundaryIds = new Set(boundaries.map((b) => b.id));
  const parents = new Map<number, number | null>();
  const changes: { id: number; parentId: number | null; boundaryId: number | null }[] = [];
  for (const [key, value] of entries) {
    const [parent, boundary] = value as [unknown, unknown];
    const parentId = parent === null ? null : Number(parent);
    const boundaryId = boundary === null ? null : Number(boundary);
    if (parentId !== null && !regionIds.has(String(parentId))) return fail(msg('A parent is not an active region of this organization.'));
    if (boundaryId !== null && !boundaryIds.has(boundaryId)) return fail(msg('A boundary does not belong to this organization.'));
    parents.set(Number(key), parentId);
    changes.push({ id: Number(key), parentId, boundaryId });
  }
  if (hasCycle(parents)) return fail(msg('A region cannot be inside itself or its own sub-regions.'));
  await db().$transaction(changes.map((c) => db().region.update({ where: { id: c.id }, data: { parentId: c.parentId, boundaryId: c.boundaryId } })));
  return { success: true, status: 200, message: msg('Regions have been updated.') };
}
