import { boundaryJson, broadcastJson, fieldJson, groupJson, startJson, workspaceJson } from '../render/catalog.js';
import type { Workspace } from '../world/workspace.js';
import { READ_HANDLERS } from './reads.js';
import type { ApiRequest } from './api.js';

async function allPages(ws: Workspace, endpoint: string, nowUs: number, origin: string, params: Record<string, string> = {}): Promise<unknown[]> {
  const results: unknown[] = [];
  let url = new URL(`${origin}/api/v2/${endpoint}.json`);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  for (;;) {
    const req: ApiRequest = { ws, method: 'GET', endpoint, query: url.searchParams, body: undefined, nowUs, url, pageSize: 10_000 };
    const page = (await READ_HANDLERS[endpoint]!(req)).body as { next: string | null; results: unknown[] };
    results.push(...page.results);
    if (!page.next) return results;
    url = new URL(page.next);
  }
}

/**
 * Exports a workspace's full state in API shapes, as fixtures for UI tests that run without a server.
 * @returns one object keyed by endpoint.
 */
export async function exportWorkspace(ws: Workspace, nowUs: number, origin: string): Promise<Record<string, unknown>> {
  return {
    workspace: workspaceJson(ws),
    groups: ws.layout.groups.map((_, g) => groupJson(ws, g)),
    fields: ws.fields.map((_, f) => fieldJson(ws, f)),
    boundaries: ws.geography.all.map((row) => boundaryJson(row, true)),
    flows: await allPages(ws, 'flows', nowUs, origin),
    definitions: ws.flows.map((flow) => flow.definition),
    contacts: await allPages(ws, 'contacts', nowUs, origin),
    deleted_contacts: await allPages(ws, 'contacts', nowUs, origin, { deleted: 'true' }),
    runs: await allPages(ws, 'runs', nowUs, origin),
    messages: await allPages(ws, 'messages', nowUs, origin),
    flow_starts: ws.starts.filter((s) => !s.keyword).map((s) => startJson(ws, s, nowUs)),
    broadcasts: ws.broadcasts.map((b) => broadcastJson(ws, b, nowUs)),
  };
}
