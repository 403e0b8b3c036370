import { boxGeometry, type BoundaryRow } from '../world/geography.js';
import { isoMicros } from '../time.js';
import { startStatus, type BroadcastRow, type StartRow } from '../world/starts.js';
import type { FlowSpec } from '../world/flowCatalog.js';
import type { Workspace } from '../world/workspace.js';

/** Renders `workspace.json` (spec §5.1). */
export function workspaceJson(ws: Workspace): Record<string, unknown> {
  const legacy = ws.config.variant === 'legacy2019';
  return {
    ...(legacy ? {} : { uuid: ws.uuid }),
    name: `${ws.config.name.charAt(0).toUpperCase()}${ws.config.name.slice(1)} (${ws.country.name})`,
    country: ws.country.code,
    languages: ws.country.languages,
    ...(legacy ? { primary_language: ws.country.languages[0] } : {}),
    timezone: ws.country.timezone,
    date_style: ws.dateStyle,
    credits: { used: -1, remaining: -1 },
    anon: ws.config.anon,
  };
}

/** Renders one group (spec §5.2) with its live count. */
export function groupJson(ws: Workspace, g: number): Record<string, unknown> {
  const group = ws.layout.groups[g]!;
  return { uuid: group.uuid, name: group.name, query: group.query, status: 'ready', system: group.system, count: ws.groupCounts[g] };
}

/** Renders one field (spec §5.3) in the current or legacy vocabulary. */
export function fieldJson(ws: Workspace, f: number): Record<string, unknown> {
  const field = ws.fields[f]!;
  if (ws.config.variant === 'legacy2019') {
    return { key: field.key, label: field.name, value_type: field.type === 'number' ? 'numeric' : field.type };
  }
  return { key: field.key, name: field.name, type: field.type, featured: false, priority: 0, usages: { flows: 0, groups: field.key === 'age' ? 1 : 0, campaign_events: 0 }, agent_access: 'view', label: field.name, value_type: field.type === 'number' ? 'numeric' : field.type };
}

/** Renders one boundary (spec §5.4). */
export function boundaryJson(row: BoundaryRow, withGeometry: boolean): Record<string, unknown> {
  return { osm_id: row.osmId, name: row.name, level: row.level, parent: row.parent, aliases: row.aliases, geometry: withGeometry ? boxGeometry(row.bbox) : null };
}

/** Renders one flow (spec §5.6) with run counts by exit type. */
export function flowJson(ws: Workspace, flow: FlowSpec, counts: Record<string, number>): Record<string, unknown> {
  const results = flow.extracted.map((q) => ({ key: q.key, name: q.name, categories: q.categories, node_uuids: q.nodeUuids }));
  return {
    uuid: flow.uuid,
    name: flow.name,
    type: flow.type,
    archived: flow.archived,
    labels: flow.labels,
    expires: flow.expiresMinutes,
    runs: { active: 0, waiting: counts.waiting ?? 0, completed: counts.completed ?? 0, interrupted: counts.interrupted ?? 0, expired: counts.expired ?? 0, failed: 0 },
    results,
    parent_refs: [],
    created_on: isoMicros(flow.createdUs),
    ...(ws.config.variant === 'legacy2019' ? {} : { modified_on: isoMicros(flow.modifiedUs) }),
  };
}

/** Renders one flow start (spec §5.10) at an instant. */
export function startJson(ws: Workspace, start: StartRow, nowUs: number): Record<string, unknown> {
  const flow = ws.flows[start.flowIndex]!;
  const { status, sinceUs } = start.request ? startStatus(start.createdUs, nowUs) : { status: 'completed' as const, sinceUs: start.createdUs + 3_000_000 };
  const legacy = ws.config.variant === 'legacy2019';
  const request = start.request;
  return {
    uuid: start.uuid,
    flow: { uuid: flow.uuid, name: flow.name },
    status: legacy ? ({ pending: 'pending', queued: 'starting', started: 'starting', completed: 'complete' } as const)[status] : status,
    groups: (request ? request.groups : start.panels).map((g) => ({ uuid: ws.layout.groups[g]!.uuid, name: ws.layout.groups[g]!.name })),
    contacts: (request?.contacts ?? []).map((i) => ({ uuid: ws.contacts.uuid(i), name: ws.contacts.name(i) })),
    restart_participants: request?.restartParticipants ?? true,
    exclude_active: request?.excludeActive ?? false,
    params: request?.params ?? {},
    extra: request?.params ?? {},
    progress: { total: status === 'completed' ? (start.total ?? 0) : -1, started: status === 'completed' ? (start.total ?? 0) : 0 },
    created_on: isoMicros(start.createdUs),
    modified_on: isoMicros(sinceUs),
  };
}

/** Renders one broadcast (spec §5.10) at an instant. */
export function broadcastJson(ws: Workspace, row: BroadcastRow, nowUs: number): Record<string, unknown> {
  const { status } = startStatus(row.createdUs, nowUs);
  const legacy = ws.config.variant === 'legacy2019';
  return {
    ...(legacy ? { id: row.id } : { uuid: row.uuid }),
    urns: ws.config.anon ? null : row.urns,
    contacts: row.contacts.map((i) => ({ uuid: ws.contacts.uuid(i), name: ws.contacts.name(i) })),
    groups: row.groups.map((g) => ({ uuid: ws.layout.groups[g]!.uuid, name: ws.layout.groups[g]!.name })),
    text: legacy ? (row.text[row.baseLanguage] ?? Object.values(row.text)[0] ?? '') : row.text,
    status: legacy ? (status === 'completed' ? 'sent' : 'queued') : status,
    progress: { total: status === 'completed' ? (row.total ?? 0) : -1, started: status === 'completed' ? (row.total ?? 0) : 0 },
    base_language: row.baseLanguage,
    attachments: [],
    created_on: isoMicros(row.createdUs),
  };
}
