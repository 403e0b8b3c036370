import { isoMicros } from '../time.js';
import { STATUS_NAMES } from '../world/contactStore.js';
import type { Workspace } from '../world/workspace.js';

function maskUrn(urn: string): string {
  return `${urn.slice(0, urn.indexOf(':') + 1)}********`;
}

/**
 * Renders one contact in the read shape of spec §5.5 (tombstone when deleted, legacy variant on request).
 * @returns the JSON object.
 */
export function contactJson(ws: Workspace, i: number): Record<string, unknown> {
  const contacts = ws.contacts;
  const legacy = ws.config.variant === 'legacy2019';
  const deleted = contacts.deleted[i] === 1;
  const status = deleted ? null : STATUS_NAMES[contacts.status[i]!]!;
  const groups = ws.membership(i).map((g) => ({ uuid: ws.layout.groups[g]!.uuid, name: ws.layout.groups[g]!.name }));
  const urns = contacts.urns(i);
  const lastSeen = contacts.lastSeen(i);
  const json: Record<string, unknown> = {
    uuid: contacts.uuid(i),
    name: deleted ? null : contacts.name(i),
    ...(legacy ? { blocked: deleted ? null : status === 'blocked', stopped: deleted ? null : status === 'stopped' } : { status }),
    language: deleted ? null : contacts.language(i),
    urns: ws.config.anon ? urns.map(maskUrn) : urns,
    groups,
    fields: contacts.fields(i),
    flow: null,
    created_on: isoMicros(contacts.created[i]!),
    modified_on: isoMicros(contacts.modified[i]!),
    last_seen_on: lastSeen === null ? null : isoMicros(lastSeen),
  };
  if (ws.config.anon) json.ref = String(100000 + i);
  return json;
}
