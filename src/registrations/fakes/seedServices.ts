import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { localMessageset } from '../adapters/messaging.js';

/** A request the fake received. */
export interface LoggedRequest {
  method: string;
  path: string;
  body: unknown;
  authorization: string | undefined;
}

/** In-memory state of the fake seed services. */
export interface FakeState {
  identities: Map<string, { id: string; details: Record<string, unknown>; communicate_through: string | null }>;
  optouts: { identity: string; reason: string; request_source: string; created_at: string }[];
  subscriptions: Map<string, Record<string, unknown> & { id: string }>;
  outbound: Record<string, unknown>[];
  metrics: Record<string, number>[];
  log: LoggedRequest[];
  /** Paths (prefix match) that answer 500, to test retries and skipped values. */
  failing: string[];
}

/** A running fake. */
export interface FakeSeedServices {
  url: string;
  state: FakeState;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * Starts small fakes of the HelloMama "seed" services on one port — identity store, stage-based
 * messaging, message sender and metrics API — so the HTTP adapters are tested over real HTTP
 * (decision 10). State is in memory; every request is logged.
 * @param options port (0 = ephemeral) and the token the fake expects (any when absent).
 * @returns the running fake.
 */
export async function startFakeSeedServices(options: { port?: number; token?: string } = {}): Promise<FakeSeedServices> {
  const state: FakeState = { identities: new Map(), optouts: [], subscriptions: new Map(), outbound: [], metrics: [], log: [], failing: [] };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      let body: unknown = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        return send(res, 400, { detail: 'invalid json' });
      }
      state.log.push({ method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, body, authorization: req.headers.authorization });
      if (options.token && !req.headers.authorization?.includes(options.token)) return send(res, 401, { detail: 'unauthorized' });
      if (state.failing.some((p) => url.pathname.startsWith(p))) return send(res, 500, { detail: 'injected failure' });
      route(state, req.method ?? 'GET', url, body as Record<string, unknown> | null, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, state, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function route(state: FakeState, method: string, url: URL, body: Record<string, unknown> | null, res: http.ServerResponse) {
  const path = url.pathname;
  let m: RegExpExecArray | null;
  if ((m = /^\/identities\/([^/]+)\/addresses\/msisdn$/.exec(path)) && method === 'GET') {
    const identity = state.identities.get(decodeURIComponent(m[1]!));
    const msisdn = Object.keys(((identity?.details.addresses as Record<string, Record<string, unknown>> | undefined)?.msisdn) ?? {});
    return send(res, 200, { next: null, results: msisdn.map((address) => ({ address })) });
  }
  if ((m = /^\/identities\/([^/]+)\/$/.exec(path))) {
    const identity = state.identities.get(decodeURIComponent(m[1]!));
    if (!identity) return send(res, 404, { detail: 'not found' });
    if (method === 'PATCH') identity.details = (body?.details as Record<string, unknown>) ?? identity.details;
    return send(res, 200, identity);
  }
  if (path === '/identities/' && method === 'POST') {
    const identity = { id: randomUUID(), details: (body?.details as Record<string, unknown>) ?? {}, communicate_through: (body?.communicate_through as string | null) ?? null };
    state.identities.set(identity.id, identity);
    return send(res, 201, identity);
  }
  if (path === '/optout/' && method === 'POST') {
    state.optouts.push({ identity: String(body?.identity), reason: String(body?.reason ?? ''), request_source: String(body?.request_source ?? ''), created_at: new Date().toISOString() });
    return send(res, 201, { id: randomUUID() });
  }
  if (path === '/optouts/search/' && method === 'GET') {
    const q = url.searchParams;
    const after = q.get('created_at__gt');
    const before = q.get('created_at__lte');
    const results = state.optouts.filter((o) =>
      (!q.has('reason') || o.reason === q.get('reason')) && (!q.has('request_source') || o.request_source === q.get('request_source'))
      && (!after || o.created_at > new Date(after).toISOString()) && (!before || o.created_at <= new Date(before).toISOString()));
    return send(res, 200, { next: null, results });
  }
  if (path === '/messageset/' && method === 'GET') {
    const set = localMessageset(url.searchParams.get('short_name') ?? '');
    return send(res, 200, { next: null, results: set ? [set] : [] });
  }
  if ((m = /^\/messageset\/(\d+)\/$/.exec(path))) {
    const sub = [...state.subscriptions.values()].find((s) => s.messageset === Number(m![1]));
    const set = sub ? localMessageset(String(sub.messageset_short_name)) : null;
    return set ? send(res, 200, set) : send(res, 404, { detail: 'not found' });
  }
  if ((m = /^\/schedule\/(\d+)\/$/.exec(path))) {
    const id = Number(m[1]);
    return send(res, 200, { id, day_of_week: [1, 2, 3, 4, 5, 6, 7].filter((d) => id & (1 << d)).join(',') });
  }
  if (path === '/subscriptions/' && method === 'GET') {
    const q = url.searchParams;
    const results = [...state.subscriptions.values()].filter((s) =>
      (!q.get('identity') || s.identity === q.get('identity')) && (!q.get('active') || String(s.active) === q.get('active')!.toLowerCase())
      && (!q.get('completed') || String(s.completed) === q.get('completed')!.toLowerCase())
      && (!q.get('messageset_contains') || String(s.messageset_short_name).includes(q.get('messageset_contains')!)));
    return send(res, 200, { next: null, results });
  }
  if (path === '/subscriptions/' && method === 'POST') {
    const set = [...state.subscriptions.values()].length;
    const id = randomUUID();
    const shortName = typeof body?.messageset_short_name === 'string' ? body.messageset_short_name : `set-${set}`;
    state.subscriptions.set(id, { id, active: true, completed: false, metadata: {}, ...body, messageset_short_name: shortName });
    return send(res, 201, state.subscriptions.get(id));
  }
  if ((m = /^\/subscriptions\/([^/]+)\/$/.exec(path)) && method === 'PATCH') {
    const sub = state.subscriptions.get(m[1]!);
    if (!sub) return send(res, 404, { detail: 'not found' });
    Object.assign(sub, body);
    return send(res, 200, sub);
  }
  if (path === '/outbound/' && method === 'POST') {
    state.outbound.push(body ?? {});
    return send(res, 201, { id: randomUUID() });
  }
  if (path === '/metrics/' && method === 'POST') {
    state.metrics.push((body ?? {}) as Record<string, number>);
    return send(res, 201, { scheduled: true });
  }
  if (path === '/__fake/state' && method === 'GET') {
    return send(res, 200, { metrics: state.metrics, outbound: state.outbound, optouts: state.optouts, subscriptions: [...state.subscriptions.values()] });
  }
  send(res, 404, { detail: 'not found' });
}
