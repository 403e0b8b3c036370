/**
 * Shared set-up of the sync benchmarks: a fresh migrated database, a simulator in its own process,
 * and an org connected to it that tracks every plain group (regions = groups named like a state).
 */
import { spawn, type ChildProcess, type Serializable } from 'node:child_process';
import pg from 'pg';
import { applyMigrations } from '../../src/db/migrator.js';

export const TOKEN = 'BENCHTOKEN'.padEnd(40, 'X');
/** The flags `npm run worker` starts a worker with, so a benchmark child runs like one. */
export const WORKER_NODE_FLAGS = '--max-semi-space-size=2';

/**
 * Creates an empty, migrated database for a benchmark run.
 * @param name the database name.
 * @returns its URL.
 */
export async function freshDatabase(name: string): Promise<string> {
  const base = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  await applyMigrations(url.toString());
  return url.toString();
}

/** A simulator running in a child process, so its memory is its own. */
export interface SimulatorProcess {
  url: string;
  child: ChildProcess;
  peakRss(): Promise<number>;
  stop(): void;
}

/**
 * Starts a simulator in a child process (throttling and activity off).
 * @param contacts workspace size.
 * @param options weeks of history (1 by default), the one weekly flow, run retention.
 * @returns its URL and controls.
 */
export async function startSimulatorProcess(contacts: number, options: { weeks?: number; weeklyFlow?: string; retentionDays?: number } = {}): Promise<SimulatorProcess> {
  const port = 18_000 + Math.floor(Math.random() * 1000);
  const settings = JSON.stringify({ weeks: 1, ...options, port, contacts, throttle: 'off', activity: false, workspaces: [{ name: 'bench', token: TOKEN }] });
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
    import { startSimulator } from './src/rapidpro/simulator/index.ts';
    const sim = await startSimulator(${settings});
    let peak = 0;
    setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50).unref();
    process.on('message', () => process.send({ peakRss: Math.max(peak, process.memoryUsage().rss) }));
    process.send({ ready: sim.url });
  `], { cwd: process.cwd(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = <T>(request?: Serializable): Promise<T> =>
    new Promise((resolve) => {
      child.once('message', (message) => resolve(message as T));
      if (request !== undefined) child.send(request);
    });
  const { ready } = await ask<{ ready: string }>();
  return { url: ready, child, peakRss: async () => (await ask<{ peakRss: number }>({})).peakRss, stop: () => child.kill('SIGTERM') };
}

/**
 * Runs a script in a child process with the given environment and collects its last JSON line.
 * @param script the TypeScript file.
 * @param args its arguments.
 * @param env extra environment.
 * @returns the child and a promise of its result.
 */
export function runChild(script: string, args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--expose-gc', ...(process.env.BENCH_NODE_FLAGS ?? WORKER_NODE_FLAGS).split(' ').filter(Boolean), '--import', 'tsx', script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  const result = new Promise<{ code: number | null; json: Record<string, unknown> | null }>((resolve) =>
    child.on('exit', (code) => {
      const line = output.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
      resolve({ code, json: line ? (JSON.parse(line) as Record<string, unknown>) : null });
    }),
  );
  return { child, result };
}

/** Formats bytes as MB. */
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
