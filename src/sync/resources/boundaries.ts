import simplify from '@turf/simplify';
import type { Geometry } from 'geojson';
import { db } from '../../db/client.js';
import { prismaExecutor } from '../../db/executor.js';
import type { Boundary } from '../../rapidpro/client/index.js';
import type { Syncer } from '../runSync.js';

/** Tolerance in degrees (~1 km): enough for a country map, a fraction of the original size. */
const SIMPLIFY_TOLERANCE = 0.01;

/**
 * Keeps a small copy of a boundary's geometry for maps; the full one stays for exports.
 * @param geometry the GeoJSON geometry.
 * @returns the simplified geometry (the original when it cannot be simplified).
 */
export function simplifyGeometry(geometry: Geometry): Geometry {
  try {
    return simplify(geometry as never, { tolerance: SIMPLIFY_TOLERANCE, highQuality: false, mutate: false }) as Geometry;
  } catch {
    return geometry;
  }
}

/**
 * Administrative boundaries with their GeoJSON, refreshed in full daily (spec §8.7): parents are
 * linked by osm id (levels in order), boundaries gone from RapidPro are removed (regions linked to
 * them lose the link).
 */
export const boundariesSyncer: Syncer = {
  resource: 'boundaries',
  async run(context) {
    const orgId = context.org.id;
    const remote: Boundary[] = (await context.client.boundaries().all()).sort((a, b) => a.level - b.level);
    await db().$transaction(async (tx) => {
      const before = await tx.boundary.count({ where: { orgId } });
      const removed = await tx.boundary.deleteMany({ where: { orgId, osmId: { notIn: remote.map((b) => b.osm_id) } } });
      const ids = new Map<string, number>();
      for (const boundary of remote) {
        const geometry = boundary.geometry as Geometry | null;
        const data = {
          name: boundary.name.slice(0, 128),
          level: boundary.level,
          parentId: boundary.parent ? (ids.get(boundary.parent.osm_id) ?? null) : null,
          geometry: (geometry ?? undefined) as object | undefined,
          simplified: (geometry ? simplifyGeometry(geometry) : undefined) as object | undefined,
        };
        const row = await tx.boundary.upsert({
          where: { orgId_osmId: { orgId, osmId: boundary.osm_id } },
          create: { orgId, osmId: boundary.osm_id, ...data },
          update: data,
          select: { id: true },
        });
        ids.set(boundary.osm_id, row.id);
      }
      const created = Math.max(0, remote.length - (before - removed.count));
      await context.checkpoint(prismaExecutor(tx), { counts: { created, updated: remote.length - created, deleted: removed.count } });
    }, { timeout: 120_000 });
  },
};
