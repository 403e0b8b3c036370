import { z } from 'zod';
import { db } from '../../db/client.js';
import { applyContactPage, applyContactTombstones } from '../../db/contactSync.js';
import { mapContact, type MappedContact } from '../contactMapping.js';
import type { SyncContext, Syncer } from '../runSync.js';
import { loadTrackedGroups } from '../trackedGroups.js';

/** Rows changed while a walk reads may reach the replica late: each walk re-reads this margin. */
export const CONTACT_OVERLAP_MS = 5 * 60_000;

/** Where a walk stands: which phase, from which `after`, how far (kept in sync_states.progress). */
const ProgressSchema = z.object({
  phase: z.enum(['changes', 'deletions']).default('changes'),
  after: z.string().nullable().default(null),
  done: z.number().int().default(0),
});
type Progress = z.infer<typeof ProgressSchema>;

function overlapFrom(mark: Date | null): string | null {
  return mark ? new Date(mark.getTime() - CONTACT_OVERLAP_MS).toISOString() : null;
}

/**
 * Contacts, incrementally across the workspace (rapidpro-api §7.1): changed contacts oldest
 * first from the watermark minus an overlap, then tombstones from their own watermark. Each page
 * is applied with its checkpoint in one transaction, so a killed worker resumes from its cursor.
 */
export const contactsSyncer: Syncer = {
  resource: 'contacts',
  async run(context) {
    const saved = ProgressSchema.safeParse(context.state.progress);
    let progress: Progress = saved.success && context.state.cursor ? saved.data : { phase: 'changes', after: overlapFrom(context.state.watermark), done: 0 };
    let cursor = context.state.cursor;
    if (progress.phase === 'changes') {
      await walkChanges(context, progress, cursor);
      progress = { phase: 'deletions', after: overlapFrom(context.state.deletedMark), done: progress.done };
      cursor = null;
      await db().$transaction((tx) => context.checkpoint(tx, { cursor: null, progress }));
    }
    await walkDeletions(context, progress, cursor);
  },
};

async function walkChanges(context: SyncContext, progress: Progress, cursor: string | null) {
  const orgId = context.org.id;
  const tracked = await loadTrackedGroups(db(), orgId);
  const walk = context.client.contacts({ reverse: true, ...(progress.after ? { after: progress.after } : {}), cursor });
  let watermark = context.state.watermark;
  let done = progress.done;
  for await (const page of walk.pages()) {
    const rows = page.items.filter((c) => !c.deleted).map((c) => mapContact(c, tracked)).filter((c): c is MappedContact => c !== null);
    const newest = page.items.reduce((max, c) => Math.max(max, c.modifiedOn.ms), watermark?.getTime() ?? 0);
    watermark = newest ? new Date(newest) : watermark;
    done += page.items.length;
    await db().$transaction(async (tx) => {
      const counts = await applyContactPage(tx, orgId, rows);
      await context.checkpoint(tx, { cursor: page.nextCursor, watermark, counts, progress: { ...progress, done } });
    });
  }
}

async function walkDeletions(context: SyncContext, progress: Progress, cursor: string | null) {
  const orgId = context.org.id;
  const walk = context.client.contacts({ deleted: true, reverse: true, ...(progress.after ? { after: progress.after } : {}), cursor });
  let mark = context.state.deletedMark;
  for await (const page of walk.pages()) {
    const newest = page.items.reduce((max, c) => Math.max(max, c.modifiedOn.ms), mark?.getTime() ?? 0);
    mark = newest ? new Date(newest) : mark;
    await db().$transaction(async (tx) => {
      const deleted = await applyContactTombstones(tx, orgId, page.items.map((c) => c.uuid));
      await context.checkpoint(tx, { cursor: page.nextCursor, deletedMark: mark, counts: { deleted }, progress });
    });
  }
}
