import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultRule } from './faults.js';
import { handleControl } from './http/control.js';
import { SimulatorOptionsSchema, type SimulatorOptionsInput } from './options.js';
import type { RequestLogEntry } from './requestLog.js';
import { Simulator } from './simulator.js';
import type { Scope } from './throttle.js';
import { isoMicros, parseIsoMicros } from './time.js';
import { advanceWorkspace } from './world/mutations.js';
import type { Workspace } from './world/workspace.js';

/** A running simulator and its programmatic controls (the same as the `/__sim/` endpoints). */
export interface RunningSimulator {
  /** Base URL, e.g. `http://127.0.0.1:8001`; the API is under `/api/v2/`. */
  url: string;
  /** The workspaces served: name, token and workspace uuid. */
  workspaces: { name: string; token: string; uuid: string }[];
  /** Stops the server (hung connections included). */
  close(): Promise<void>;
  /** Regenerates every workspace from a seed (default: the current one). */
  reset(seed?: number): void;
  /** Virtual clock controls. */
  clock: {
    now(): string;
    set(iso: string): void;
    advance(seconds: number): void;
    freeze(): void;
    scale(factor: number): void;
  };
  /** Replaces the fault rules. */
  setFaults(rules: FaultRule[]): void;
  /** Adds one fault rule. */
  addFault(rule: FaultRule): void;
  /** Sets the rate of a workspace (or all): "2500/h", "5/min", "off". */
  setThrottle(rate: string, workspace?: string): void;
  /** Forces the next N requests to 429; `retryAfter: null` omits the header. */
  forceThrottle(options: { count: number; scope?: Scope; path?: string; workspace?: string; retryAfter?: number | null }): void;
  /** Omits Retry-After on limiter rejections. */
  omitRetryAfter(omit: boolean): void;
  /** Fills a scope's window now. */
  exhaust(scope: Scope, workspace?: string): void;
  /** Switches response shape variants of one workspace. */
  setVariant(workspace: string, variant: { variant?: 'current' | 'legacy2019'; definitionsFormat?: 'goflow' | 'legacy' }): void;
  /** The request log. */
  requests(workspace?: string): RequestLogEntry[];
  clearRequests(): void;
  /** Direct access to a workspace's state, brought up to the virtual now (for assertions in tests). */
  state(workspace?: string): Workspace;
}

/**
 * Starts the RapidPro simulator on 127.0.0.1 (port 0 = ephemeral).
 * @param input options; see {@link SimulatorOptionsSchema}.
 * @returns the running simulator with its controls.
 */
export async function startSimulator(input: SimulatorOptionsInput = {}): Promise<RunningSimulator> {
  const { logger, ...rest } = input;
  const options = SimulatorOptionsSchema.parse(rest);
  const sim = new Simulator(options, logger);
  const server: Server = createServer((req, res) => {
    sim.handle(req, res, (url, method, body, response) => handleControl(sim, url, method, body, response)).catch((error: unknown) => {
      logger?.warn({ err: error }, 'simulator request failed');
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('Server Error. Site administrators have been notified.');
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    workspaces: sim.workspaces.map((w) => ({ name: w.config.name, token: w.config.token, uuid: w.uuid })),
    async close() {
      for (const res of sim.hung) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    reset: (seed) => sim.reset(seed),
    clock: {
      now: () => isoMicros(sim.clock.nowUs()),
      set: (iso) => sim.clock.set(parseIsoMicros(iso) ?? sim.clock.nowUs()),
      advance: (seconds) => sim.clock.advance(Math.round(seconds * 1_000_000)),
      freeze: () => sim.clock.setMode({ kind: 'frozen' }),
      scale: (factor) => sim.clock.setMode({ kind: 'scaled', factor }),
    },
    setFaults: (rules) => sim.faults.set(rules),
    addFault: (rule) => sim.faults.add(rule),
    setThrottle: (rate, workspace) => sim.setRate(rate, workspace),
    forceThrottle: (o) => sim.forceThrottle(o),
    omitRetryAfter: (omit) => {
      sim.limiter.omitRetryAfter = omit;
    },
    exhaust: (scope, workspace) => sim.exhaust(scope, workspace),
    setVariant: (workspace, variant) => {
      const ws = sim.workspace(workspace);
      if (variant.variant) ws.config.variant = variant.variant;
      if (variant.definitionsFormat) ws.config.definitionsFormat = variant.definitionsFormat;
    },
    requests: (workspace) => sim.log.list(workspace),
    clearRequests: () => sim.log.clear(),
    state: (workspace) => {
      const ws = sim.workspace(workspace);
      advanceWorkspace(ws, sim.clock.nowUs());
      return ws;
    },
  };
}

export type { FaultRule } from './faults.js';
export type { SimulatorOptionsInput } from './options.js';
export type { RequestLogEntry } from './requestLog.js';
