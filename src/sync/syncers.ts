import type { SyncResource } from './resources.js';
import type { Syncer } from './runSync.js';
import { boundariesSyncer } from './resources/boundaries.js';
import { contactsSyncer } from './resources/contacts.js';
import { fieldsSyncer } from './resources/fields.js';
import { groupsSyncer } from './resources/groups.js';
import { workspaceSyncer } from './resources/workspace.js';

/** The syncer of each resource. */
export const SYNCERS: Record<SyncResource, Syncer> = {
  workspace: workspaceSyncer,
  groups: groupsSyncer,
  fields: fieldsSyncer,
  boundaries: boundariesSyncer,
  contacts: contactsSyncer,
};
