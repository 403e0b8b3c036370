import type { Contact as RemoteContact } from '../rapidpro/client/index.js';

/** URN schemes TracPro keeps (spec §8.5.1). */
export const SUPPORTED_URN_SCHEMES = ['tel', 'twitter', 'twitterid'] as const;

/** The org's tracked groups, as the mapping needs them. */
export interface TrackedGroups {
  /** Active regions by RapidPro group uuid. */
  regions: Map<string, { id: number; name: string }>;
  /** Reporter groups (active or not, so a later push keeps memberships) by group uuid. */
  reporterGroups: Map<string, number>;
}

/** A RapidPro contact as it is stored locally. */
export interface MappedContact {
  uuid: string;
  name: string;
  urn: string | null;
  urns: string[];
  language: string | null;
  regionId: number | null;
  groupUuids: string[];
  reporterGroupIds: number[];
  fields: Record<string, string | null>;
  status: 'active' | 'blocked' | 'stopped' | 'archived';
  /** Shown on pages and counted: active status, a tracked region and a supported URN (decision D3). */
  isActive: boolean;
  modifiedOn: Date;
  createdOn: Date;
  /** Set when the contact cannot be kept: it has URNs, but none TracPro supports. */
  failure: 'no-supported-urn' | null;
}

/**
 * Maps a RapidPro contact: region = the alphabetically first tracked region among its groups,
 * reporter groups = every tracked reporter group among them, URN = the first supported one.
 * @param remote the contact from the API (not a tombstone).
 * @param tracked the org's tracked groups.
 * @returns the local form, or null for a contact with no URNs at all (skipped silently).
 */
export function mapContact(remote: RemoteContact, tracked: TrackedGroups): MappedContact | null {
  if (remote.urns.length === 0) return null;
  const groupUuids = remote.groups.map((g) => g.uuid);
  const region = groupUuids
    .map((uuid) => tracked.regions.get(uuid))
    .filter((r): r is { id: number; name: string } => Boolean(r))
    .sort((a, b) => a.name.localeCompare(b.name, 'en') || a.id - b.id)[0];
  const urn = remote.urns.find((u) => SUPPORTED_URN_SCHEMES.some((scheme) => u.startsWith(`${scheme}:`))) ?? null;
  const status = (remote.status ?? 'active') as MappedContact['status'];
  return {
    uuid: remote.uuid,
    name: (remote.name ?? '').slice(0, 128),
    urn,
    urns: remote.urns,
    language: remote.language ? remote.language.slice(0, 3) : null,
    regionId: region?.id ?? null,
    groupUuids,
    reporterGroupIds: [...new Set(groupUuids.map((uuid) => tracked.reporterGroups.get(uuid)).filter((id): id is number => id !== undefined))],
    fields: Object.fromEntries(Object.entries(remote.fields).map(([k, v]) => [k, v === '' ? null : v])),
    status,
    isActive: status === 'active' && Boolean(region) && Boolean(urn),
    modifiedOn: new Date(remote.modifiedOn.ms),
    createdOn: new Date(remote.createdOn.ms),
    failure: urn ? null : 'no-supported-urn',
  };
}
