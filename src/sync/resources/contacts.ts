import { z } from 'zod';
import { db } from '../../db/client.js';
import { applyContactPage, applyContactTombstones } from '../../db/contactSync.js';
import { pgExecutor } from '../../db/executor.js';
import { withPgTransaction } from '../../db/pool.js';
import { prefetching } from '../../lib/prefetch.js';
import { mapContact, type MappedContact } from '../contactMapping.js';
import type { SyncContext, Syncer } from '../runSync.js';
import { loadTrackedGroups } from '../trackedGroups.js';

/** Rows changed while a walk reads may reach the replica late: each walk re-reads this margin. */
export const CONTACT_OVERLAP_MS = 5 * 60_000;

/** A page and its checkpoint commit together, so a crash loses at most re-readable pages. */
const RESUMABLE = { relaxedCommit: true };

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
      await withPgTransaction((client) => context.checkpoint(pgExecutor(client), { cursor: null, progress }));
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
  for await (const page of prefetching(walk.pages())) {
    const rows = page.items.filter((c) => !c.deleted).map((c) => mapContact(c, tracked)).filter((c): c is MappedContact => c !== null);
    const newest = page.items.reduce((max, c) => Math.max(max, c.modifiedOn.ms), watermark?.getTime() ?? 0);
    watermark = newest ? new Date(newest) : watermark;
    done += page.items.length;
    await withPgTransaction(async (client) => {
      const counts = await applyContactPage(client, orgId, rows);
      await context.checkpoint(pgExecutor(client), { cursor: page.nextCursor, watermark, counts, progress: { ...progress, done } });
    }, RESUMABLE);
  }
}

async function walkDeletions(context: SyncContext, progress: Progress, cursor: string | null) {
  const orgId = context.org.id;
  const walk = context.client.contacts({ deleted: true, reverse: true, ...(progress.after ? { after: progress.after } : {}), cursor });
  let mark = context.state.deletedMark;
  for await (const page of prefetching(walk.pages())) {
    const newest = page.items.reduce((max, c) => Math.max(max, c.modifiedOn.ms), mark?.getTime() ?? 0);
    mark = newest ? new Date(newest) : mark;
    await withPgTransaction(async (client) => {
      const deleted = await applyContactTombstones(client, orgId, page.items.map((c) => c.uuid));
      await context.checkpoint(pgExecutor(client), { cursor: page.nextCursor, deletedMark: mark, counts: { deleted }, progress });
    }, RESUMABLE);
  }
}
