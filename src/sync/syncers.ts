import type { SyncResource } from './resources.js';
import type { Syncer } from './runSync.js';
import { boundariesSyncer } from './resources/boundaries.js';
import { contactsSyncer } from './resources/contacts.js';
import { fieldsSyncer } from './resources/fields.js';
import { flowsSyncer } from './resources/flows.js';
import { groupsSyncer } from './resources/groups.js';
import { inboxSyncer } from './resources/inbox.js';
import { runsBackfillSyncer, runsSyncer } from './resources/runs.js';
import { workspaceSyncer } from './resources/workspace.js';

/** The syncer of each resource. */
export const SYNCERS: Record<SyncResource, Syncer> = {
  workspace: workspaceSyncer,
  groups: groupsSyncer,
  fields: fieldsSyncer,
  flows: flowsSyncer,
  boundaries: boundariesSyncer,
  contacts: contactsSyncer,
  runs: runsSyncer,
  'runs-backfill': runsBackfillSyncer,
  inbox: inboxSyncer,
};
