import type { IncomingMessage, ServerResponse } from 'node:http';
import { VirtualClock } from './clock.js';
import { FaultInjector, type FaultRule } from './faults.js';
import { ApiFailure, type ApiRequest, type ApiResult } from './http/api.js';
import { LIST_ENDPOINTS, READ_HANDLERS } from './http/reads.js';
import { json, readBody, send, sendAndReset, sendTruncated, serverErrorBody, type Outgoing } from './http/respond.js';
import { WRITE_HANDLERS } from './http/writes.js';
import type { SimulatorLogger, SimulatorOptions } from './options.js';
import { RequestLog, type RequestLogEntry } from './requestLog.js';
import { parseRate, scopeOf, SlidingWindowLimiter, type Rate, type Scope } from './throttle.js';
import { isoMicros, parseIsoMicros } from './time.js';
import { advanceWorkspace } from './world/mutations.js';
import { Workspace } from './world/workspace.js';

const API_PATH = /^\/api\/v2\/([a-z_]+?)(\.json)?\/?$/;

/**
 * The simulator's state and request handling, independent of the socket server: workspaces,
 * virtual clock, throttling, faults and the request log.
 */
export class Simulator {
  readonly clock: VirtualClock;
  readonly faults: FaultInjector;
  readonly limiter = new SlidingWindowLimiter();
  readonly log: RequestLog;
  workspaces: Workspace[] = [];
  private rates = new Map<string, Rate | null>();
  private readonly startedMs = performance.now();
  /** Sockets held open by "hang" faults, destroyed on close. */
  readonly hung = new Set<ServerResponse>();

  /** @param options validated simulator options. */
  constructor(
    readonly options: SimulatorOptions,
    private readonly logger?: SimulatorLogger,
  ) {
    const start = parseIsoMicros(options.now)!;
    this.clock = new VirtualClock(start, options.clock === 'frozen' ? { kind: 'frozen' } : { kind: 'scaled', factor: options.clock });
    this.faults = new FaultInjector(options.seed);
    this.faults.set(options.faults);
    this.log = new RequestLog(options.requestLogSize);
    this.reset(options.seed);
  }

  /** Regenerates every workspace from a seed at the current virtual instant; clears faults' draws and quotas. */
  reset(seed = this.options.seed): void {
    this.options.seed = seed;
    const nowUs = this.clock.nowUs();
    this.workspaces = this.options.workspaces.map(
      (w, index) =>
        new Workspace(
          {
            name: w.name, token: w.token, index, seed,
            contacts: w.contacts ?? this.options.contacts,
            weeks: w.weeks ?? this.options.weeks,
            anon: w.anon, variant: w.variant, definitionsFormat: w.definitionsFormat,
            retentionDays: this.options.retentionDays,
            deleteDelayUs: Math.round(this.options.deleteDelaySeconds * 1_000_000),
            activity: this.options.activity,
            weeklyFlow: this.options.weeklyFlow ?? null,
          },
          nowUs,
        ),
    );
    this.rates = new Map(this.options.workspaces.map((w) => [w.name, parseRate(w.throttle ?? this.options.throttle)]));
    this.limiter.reset();
  }

  /** Finds a workspace by name. @throws Error for an unknown name. */
  workspace(name?: string): Workspace {
    const ws = name ? this.workspaces.find((w) => w.config.name === name) : this.workspaces[0];
    if (!ws) throw new Error(`unknown workspace "${name}"`);
    return ws;
  }

  /** Sets the rate of one workspace (or all). */
  setRate(rate: string, workspace?: string): void {
    for (const ws of this.workspaces) if (!workspace || ws.config.name === workspace) this.rates.set(ws.config.name, parseRate(rate));
  }

  /** Forces the next `count` requests (optionally of one scope or path) to 429. */
  forceThrottle(options: { count: number; scope?: Scope; path?: string; workspace?: string; retryAfter?: number | null }): void {
    const rule: FaultRule = { kind: 'throttle', count: options.count, retryAfter: options.retryAfter === undefined ? 1 : options.retryAfter };
    if (options.scope) rule.scope = options.scope;
    if (options.path) rule.path = options.path;
    if (options.workspace) rule.workspace = options.workspace;
    this.faults.add(rule);
  }

  /** Fills a scope's window now. */
  exhaust(scope: Scope, workspace?: string): void {
    const ws = this.workspace(workspace);
    this.limiter.exhaust(ws.config.name, scope, this.rates.get(ws.config.name) ?? null);
  }

  /** Handles one HTTP request (API, control, or stub). */
  async handle(req: IncomingMessage, res: ServerResponse, control: (url: URL, method: string, body: string, res: ServerResponse) => Promise<void>): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const method = req.method ?? 'GET';
    const bodyText = method === 'GET' || method === 'HEAD' ? '' : await readBody(req);
    if (url.pathname.startsWith('/__sim/')) return control(url, method, bodyText, res);
    const match = API_PATH.exec(url.pathname);
    if (!match) return send(res, { status: 404, body: '<html><body><h1>Not Found</h1></body></html>', contentType: 'text/html', headers: {} });
    const endpoint = match[1]!;
    const token = /^Token\s+(\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const ws = this.workspaces.find((w) => w.config.token === token);
    const nowUs = this.clock.nowUs();
    const headers: Record<string, string> = { Date: new Date(Math.floor(nowUs / 1000)).toUTCString() };
    const entry = { at: isoMicros(nowUs), realMs: Math.round(performance.now() - this.startedMs), method, path: url.pathname, query: url.search, workspace: ws?.config.name ?? null, scope: null as string | null, remaining: null as number | null, fault: null as string | null };
    const finish = (out: Outgoing, deliver: (res: ServerResponse, out: Outgoing) => void = send): void => {
      this.log.add({ ...entry, status: out.status });
      this.logger?.info({ method, path: url.pathname, status: out.status, workspace: entry.workspace }, 'simulator request');
      deliver(res, { ...out, headers: { ...headers, ...out.headers } });
    };
    if (!ws) return finish(json(403, { detail: 'Invalid token' }));
    headers['X-Temba-Workspace'] = ws.uuid;
    if (!match[2]) {
      if (LIST_ENDPOINTS.has(endpoint) || WRITE_HANDLERS[`POST ${endpoint}`]) return finish(json(200, []));
      return finish({ status: 200, body: `<html><body><h1>API v2: ${endpoint}</h1></body></html>`, contentType: 'text/html', headers: {} });
    }
    advanceWorkspace(ws, nowUs);
    const scope = scopeOf(endpoint);
    entry.scope = scope;
    const fault = this.faults.fire({ path: url.pathname, method, workspace: ws.config.name, scope });
    entry.fault = fault?.kind ?? null;
    if (fault?.kind === 'throttle') {
      const retry = fault.retryAfter === undefined ? 1 : fault.retryAfter;
      return finish(json(429, { detail: `Request was throttled. Expected available in ${retry ?? 60} seconds.` }, retry === null ? {} : { 'Retry-After': String(retry) }));
    }
    const decision = this.limiter.check(ws.config.name, scope, this.rates.get(ws.config.name) ?? null);
    if (!decision.allowed) {
      const retry = decision.retryAfterSec;
      return finish(json(429, { detail: `Request was throttled. Expected available in ${retry ?? 3600} seconds.` }, retry === null ? {} : { 'Retry-After': String(retry) }));
    }
    entry.remaining = decision.remaining;
    if (fault?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, this.faults.latency(fault)));
    if (fault?.kind === 'hang') return this.hang(res, entry);
    if (fault && ['500', '502', '503', '504'].includes(fault.kind)) return finish(serverErrorBody(Number(fault.kind)));
    const out = await this.dispatch(ws, endpoint, method, url, bodyText, nowUs);
    if (fault?.kind === 'applied500') return finish(serverErrorBody(500));
    if (fault?.kind === 'appliedTimeout') return this.hang(res, entry);
    if (fault?.kind === 'truncate') return finish(out, sendTruncated);
    if (fault?.kind === 'reset') return finish(out, sendAndReset);
    if ((fault?.kind === 'emptyNext' || fault?.kind === 'foreignNext') && out.status === 200) return finish(tamperPage(out, fault.kind, url));
    return finish(out);
  }

  private hang(res: ServerResponse, entry: Omit<RequestLogEntry, 'status'>): void {
    this.log.add({ ...entry, status: 0 });
    this.hung.add(res);
    res.on('close', () => this.hung.delete(res));
  }

  private async dispatch(ws: Workspace, endpoint: string, method: string, url: URL, bodyText: string, nowUs: number): Promise<Outgoing> {
    const handler = method === 'GET' ? READ_HANDLERS[endpoint] : WRITE_HANDLERS[`${method} ${endpoint}`];
    if (!handler) return json(405, { detail: `Method "${method}" not allowed.` });
    let body: unknown = undefined;
    if (bodyText !== '') {
      try {
        body = JSON.parse(bodyText);
      } catch {
        return json(400, { detail: 'JSON parse error - Expecting value: line 1 column 1 (char 0)' });
      }
    }
    const request: ApiRequest = { ws, method, endpoint, query: url.searchParams, body, nowUs, url, pageSize: this.options.pageSize };
    try {
      const result: ApiResult = await handler(request);
      return json(result.status, result.body);
    } catch (error) {
      if (error instanceof ApiFailure) return json(error.status, error.body);
      this.logger?.warn({ err: error, endpoint }, 'simulator handler failed');
      return serverErrorBody(500);
    }
  }
}

function tamperPage(out: Outgoing, kind: 'emptyNext' | 'foreignNext', url: URL): Outgoing {
  const page = JSON.parse(out.body) as { next: string | null; results: unknown[] };
  if (kind === 'emptyNext') {
    page.results = [];
    page.next = page.next ?? url.href;
  } else if (page.next) {
    const next = new URL(page.next);
    next.host = 'rapidpro-replica.invalid:8443';
    next.protocol = 'https:';
    page.next = next.href;
  }
  return { ...out, body: JSON.stringify(page) };
}
