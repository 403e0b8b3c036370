import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { FaultRuleSchema } from '../faults.js';
import type { Simulator } from '../simulator.js';
import { isoMicros, parseIsoMicros } from '../time.js';
import { advanceWorkspace } from '../world/mutations.js';
import { archivePeriods, archiveStream } from './archives.js';
import { exportWorkspace } from './export.js';
import { json, send } from './respond.js';

const ClockBody = z.object({
  set: z.string().optional(),
  advanceSeconds: z.number().optional(),
  freeze: z.boolean().optional(),
  scale: z.number().positive().optional(),
});
const ThrottleBody = z.object({
  workspace: z.string().optional(),
  rate: z.string().optional(),
  omitRetryAfter: z.boolean().optional(),
  force: z.object({ count: z.number().int().positive(), scope: z.enum(['v2', 'v2.contacts', 'v2.runs', 'v2.messages']).optional(), path: z.string().optional(), retryAfter: z.number().int().nonnegative().nullable().optional() }).optional(),
  exhaust: z.enum(['v2', 'v2.contacts', 'v2.runs', 'v2.messages']).optional(),
});
const VariantBody = z.object({ workspace: z.string(), variant: z.enum(['current', 'legacy2019']).optional(), definitionsFormat: z.enum(['goflow', 'legacy']).optional() });
const ResetBody = z.object({ seed: z.number().int().optional() });

function clockState(sim: Simulator): object {
  return { now: isoMicros(sim.clock.nowUs()), mode: sim.clock.currentMode() };
}

/**
 * Serves the `/__sim/` control and observability endpoints (spec §10.8); never under `/api/`.
 * Bodies are JSON; every answer is JSON except archive downloads.
 */
export async function handleControl(sim: Simulator, url: URL, method: string, bodyText: string, res: ServerResponse): Promise<void> {
  const route = `${method} ${url.pathname.replace(/\/$/, '')}`;
  let body: unknown = {};
  try {
    body = bodyText ? JSON.parse(bodyText) : {};
  } catch {
    return send(res, json(400, { detail: 'body is not JSON' }));
  }
  try {
    const archive = /^GET \/__sim\/archives\/([^/]+)\/run\/(daily|monthly)\/(\d{4}-\d{2}-\d{2})\.jsonl\.gz$/.exec(route);
    if (archive) {
      const ws = sim.workspace(decodeURIComponent(archive[1]!));
      const nowUs = sim.clock.nowUs();
      advanceWorkspace(ws, nowUs);
      const period = archivePeriods(ws, nowUs).find((p) => p.period === archive[2] && isoMicros(p.startUs).startsWith(archive[3]!));
      if (!period) return send(res, json(404, { detail: 'Not found.' }));
      res.writeHead(200, { 'Content-Type': 'application/gzip' });
      archiveStream(ws, period, nowUs).pipe(res);
      return;
    }
    switch (route) {
      case 'GET /__sim/health':
        return send(res, json(200, { ok: true, workspaces: sim.workspaces.map((w) => w.config.name) }));
      case 'POST /__sim/reset':
        sim.reset(ResetBody.parse(body).seed);
        return send(res, json(200, { ok: true, seed: sim.options.seed }));
      case 'GET /__sim/clock':
        return send(res, json(200, clockState(sim)));
      case 'POST /__sim/clock': {
        const change = ClockBody.parse(body);
        if (change.set) sim.clock.set(parseIsoMicros(change.set) ?? sim.clock.nowUs());
        if (change.advanceSeconds) sim.clock.advance(Math.round(change.advanceSeconds * 1_000_000));
        if (change.freeze) sim.clock.setMode({ kind: 'frozen' });
        if (change.scale) sim.clock.setMode({ kind: 'scaled', factor: change.scale });
        return send(res, json(200, clockState(sim)));
      }
      case 'POST /__sim/throttle': {
        const change = ThrottleBody.parse(body);
        if (change.rate) sim.setRate(change.rate, change.workspace);
        if (change.omitRetryAfter !== undefined) sim.limiter.omitRetryAfter = change.omitRetryAfter;
        if (change.force) sim.forceThrottle({ ...change.force, ...(change.workspace ? { workspace: change.workspace } : {}) });
        if (change.exhaust) sim.exhaust(change.exhaust, change.workspace);
        return send(res, json(200, { ok: true }));
      }
      case 'GET /__sim/faults':
        return send(res, json(200, { rules: sim.faults.list() }));
      case 'POST /__sim/faults':
        sim.faults.set(z.object({ rules: z.array(FaultRuleSchema) }).parse(body).rules);
        return send(res, json(200, { rules: sim.faults.list() }));
      case 'DELETE /__sim/faults':
        sim.faults.set([]);
        return send(res, json(200, { rules: [] }));
      case 'POST /__sim/variant': {
        const change = VariantBody.parse(body);
        const ws = sim.workspace(change.workspace);
        if (change.variant) ws.config.variant = change.variant;
        if (change.definitionsFormat) ws.config.definitionsFormat = change.definitionsFormat;
        return send(res, json(200, { variant: ws.config.variant, definitionsFormat: ws.config.definitionsFormat }));
      }
      case 'GET /__sim/requests':
        return send(res, json(200, { requests: sim.log.list(url.searchParams.get('workspace') ?? undefined) }));
      case 'DELETE /__sim/requests':
        sim.log.clear();
        return send(res, json(200, { ok: true }));
      case 'GET /__sim/export': {
        const ws = sim.workspace(url.searchParams.get('workspace') ?? undefined);
        advanceWorkspace(ws, sim.clock.nowUs());
        return send(res, json(200, await exportWorkspace(ws, sim.clock.nowUs(), `${url.protocol}//${url.host}`)));
      }
      default:
        return send(res, json(404, { detail: `unknown control route ${route}` }));
    }
  } catch (error) {
    return send(res, json(400, { detail: error instanceof Error ? error.message : String(error) }));
  }
}
