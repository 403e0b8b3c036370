import type { Request, Response } from 'express';
import { selectGroups, type GroupKind } from '../../../commands/groupSelector.js';
import { updateHierarchy } from '../../../commands/hierarchyUpdater.js';
import { remapContactsTask } from '../../../jobs/tasks/RemapContactsTask.js';
import { syncTask } from '../../../jobs/tasks/SyncTask.js';
import { treeOrder } from '../../../regions/tree.js';
import { refreshInBand } from '../../../sync/inBand.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { GroupSelectSchema } from '../org/schema.js';

async function activeContactCounts(orgId: number, by: 'region' | 'group'): Promise<Map<number, number>> {
  if (by === 'region') {
    const rows = await orgDb(orgId).contact.groupBy({ by: ['regionId'], where: { isActive: true }, _count: { _all: true } });
    return new Map(rows.filter((r) => r.regionId !== null).map((r) => [r.regionId!, r._count._all]));
  }
  const rows = await orgDb(orgId).contactReporterGroup.groupBy({ by: ['reporterGroupId'], where: { contact: { isActive: true } }, _count: { _all: true } });
  return new Map(rows.map((r) => [r.reporterGroupId, r._count._all]));
}

/** GET /regions: the tree with boundaries and active contact counts; `?edit=1` shows the editor. */
export async function index(req: Request, res: Response) {
  const orgId = req.org!.id;
  const [regions, boundaries, counts] = await Promise.all([
    orgDb(orgId).region.findMany({ where: { isActive: true }, include: { boundary: { select: { name: true } } } }),
    orgDb(orgId).boundary.findMany({ orderBy: [{ level: 'asc' }, { name: 'asc' }], select: { id: true, name: true, level: true } }),
    activeContactCounts(orgId, 'region'),
  ]);
  const rows = treeOrder(regions).map((r) => ({ ...r, contacts: counts.get(r.id) ?? 0 }));
  res.render('pages/regions/index.njk', { rows, boundaries, editing: req.query.edit === '1' });
}

/** POST /regions/hierarchy: JSON `{data}` (or a form field holding it) → JSON; the page's form → redirect. */
export async function saveHierarchy(req: Request, res: Response) {
  const body = req.body as Record<string, unknown>;
  const fromForm = !req.is('application/json') && body.parent !== undefined;
  const data = fromForm ? formToHierarchy(body) : body.data;
  const result = await updateHierarchy(req.org!.id, data);
  const message = result.success ? req.t('{{org}} regions have been updated.', { org: req.org!.name }) : req.t(result.message);
  if (!fromForm) return res.status(200).json({ ...result, message });
  req.flash(result.success ? 'success' : 'danger', message);
  res.redirect(303, result.success ? '/regions' : '/regions?edit=1');
}

function formToHierarchy(body: Record<string, unknown>): Record<string, [number | null, number | null]> {
  const parents = (body.parent ?? {}) as Record<string, string>;
  const boundaries = (body.boundary ?? {}) as Record<string, string>;
  return Object.fromEntries(
    Object.keys(parents).map((id) => [id, [parents[id] ? Number(parents[id]) : null, boundaries[id] ? Number(boundaries[id]) : null]]),
  );
}

/** GET /groups: tracked reporter groups with active contact counts. */
export async function groups(req: Request, res: Response) {
  const orgId = req.org!.id;
  const [rows, counts] = await Promise.all([
    orgDb(orgId).reporterGroup.findMany({ where: { isActive: true }, orderBy: { name: 'asc' } }),
    activeContactCounts(orgId, 'group'),
  ]);
  res.render('pages/regions/groups.njk', { rows: rows.map((g) => ({ ...g, contacts: counts.get(g.id) ?? 0 })) });
}

/**
 * GET /regions/select and /groups/select: every RapidPro group (refreshed first, best effort),
 * labelled with its member count, the tracked ones ticked.
 * @param kind regions or reporter groups.
 * @returns the handler.
 */
export function selectForm(kind: GroupKind) {
  return async (req: Request, res: Response) => {
    const orgId = req.org!.id;
    const refreshed = req.org!.apiTokenEncrypted ? await refreshInBand(orgId, 'groups') : null;
    const [all, tracked] = await Promise.all([
      orgDb(orgId).rapidProGroup.findMany(),
      kind === 'regions'
        ? orgDb(orgId).region.findMany({ where: { isActive: true }, select: { uuid: true } })
        : orgDb(orgId).reporterGroup.findMany({ where: { isActive: true }, select: { uuid: true } }),
    ]);
    const selected = new Set(tracked.map((t) => t.uuid));
    const options = all
      .map((g) => ({ uuid: g.uuid, label: `${g.name} (${g.count})`, selected: selected.has(g.uuid) }))
      .sort((a, b) => a.label.localeCompare(b.label, undefined, { sensitivity: 'base' }));
    res.render('pages/regions/select.njk', { kind, options, stale: refreshed?.status !== 'done' });
  };
}

/**
 * POST /regions/select and /groups/select: tracks the chosen groups, then re-maps contacts and
 * syncs them in the background.
 * @param kind regions or reporter groups.
 * @returns the handler.
 */
export function select(kind: GroupKind) {
  return async (req: Request, res: Response) => {
    const orgId = req.org!.id;
    const parsed = GroupSelectSchema.safeParse(req.body);
    const uuids = parsed.success ? parsed.data.groups : [];
    const { tracked } = await selectGroups(orgId, kind, uuids);
    await remapContactsTask.enqueue(orgId);
    if (req.org!.apiTokenEncrypted) await syncTask.enqueue(orgId, 'contacts', true);
    req.flash('success', kind === 'regions' ? req.t('Regions updated: {{count}} tracked.', { count: tracked }) : req.t('Reporter groups updated: {{count}} tracked.', { count: tracked }));
    res.redirect(303, kind === 'regions' ? '/regions' : '/groups');
  };
}
