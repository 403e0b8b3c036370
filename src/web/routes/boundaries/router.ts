import { Router, type Request, type Response } from 'express';
import { orgDb } from '../../../tenancy/orgDb.js';
import { access } from '../../access.js';

/** Browsers keep the boundaries a few minutes (the daily sync rarely changes them) and revalidate with the ETag. */
const CACHE_CONTROL = 'private, max-age=300';

/**
 * GET /api/boundaries (spec §18.3): the org's boundaries as GeoJSON features keyed by id, with their
 * simplified geometry (the full one stays for exports), and their ids highest level first.
 */
export async function boundaries(req: Request, res: Response) {
  const rows = await orgDb(req.org!.id).boundary.findMany({
    orderBy: [{ level: 'desc' }, { name: 'asc' }],
    // The sync keeps a simplified copy of every geometry (the original when it cannot be simplified).
    select: { id: true, name: true, level: true, parentId: true, simplified: true },
  });
  const results: Record<string, unknown> = {};
  for (const b of rows) {
    results[b.id] = { type: 'Feature', id: b.id, properties: { id: b.id, name: b.name, level: b.level, parentId: b.parentId }, geometry: b.simplified };
  }
  // Objects list integer keys in ascending order whatever the insertion order: `order` keeps §18.3's.
  res.set('Cache-Control', CACHE_CONTROL).json({ results, order: rows.map((b) => b.id) });
}

/** Map boundaries for charts, behind the dashboards' read guard (D1: viewers read maps too). */
export const boundariesRouter = Router().get('/api/boundaries', access.member('polls:read'), boundaries);
