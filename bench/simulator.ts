/**
 * Walks every contact of a 1,000,000-contact simulated workspace through the real client
 * (throttling and budget off), against a raw fetch walk of the same pages as the baseline, and
 * prints contacts/s and the peak RSS of both processes as ratios against the goals.
 */
import { spawn, type Serializable } from 'node:child_process';
import { RapidProClient } from '../src/rapidpro/client/index.js';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const GOAL_PER_SECOND = 20_000;
const GOAL_RSS = 1024 ** 3;
const TOKEN = 'BENCHTOKEN'.padEnd(40, 'X');
const PORT = 18_000 + Math.floor(Math.random() * 1000);

const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
  import { startSimulator } from './src/rapidpro/simulator/index.ts';
  const sim = await startSimulator({ port: ${PORT}, contacts: ${CONTACTS}, weeks: 26, throttle: 'off', workspaces: [{ name: 'bench', token: '${TOKEN}' }] });
  let peak = 0;
  setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50).unref();
  process.on('message', () => process.send({ peakRss: Math.max(peak, process.memoryUsage().rss) }));
  process.send({ ready: sim.url });
`], { cwd: process.cwd(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });

const ask = <T>(request?: unknown): Promise<T> =>
  new Promise((resolve) => {
    child.once('message', (message) => resolve(message as T));
    if (request !== undefined) child.send(request as Serializable);
  });

let clientPeak = 0;
setInterval(() => (clientPeak = Math.max(clientPeak, process.memoryUsage().rss)), 50).unref();
const started = performance.now();
const { ready: url } = await ask<{ ready: string }>();
console.log(`simulator with ${CONTACTS.toLocaleString()} contacts ready in ${((performance.now() - started) / 1000).toFixed(1)} s at ${url}`);

async function rawWalk(): Promise<number> {
  let next: string | null = `${url}/api/v2/contacts.json?reverse=true`;
  let rows = 0;
  while (next) {
    const page = (await (await fetch(next, { headers: { Authorization: `Token ${TOKEN}` } })).json()) as { next: string | null; results: unknown[] };
    rows += page.results.length;
    next = page.next;
  }
  return rows;
}

async function clientWalk(): Promise<number> {
  const client = new RapidProClient({ baseUrl: url, token: TOKEN, budget: null });
  let rows = 0;
  for await (const page of client.contacts({ reverse: true }).pages()) rows += page.items.length;
  return rows;
}

const timed = async (walk: () => Promise<number>): Promise<{ rows: number; perSecond: number; seconds: number }> => {
  const t0 = performance.now();
  const rows = await walk();
  const seconds = (performance.now() - t0) / 1000;
  return { rows, seconds, perSecond: rows / seconds };
};

const baseline = await timed(rawWalk);
const measured = await timed(clientWalk);
const { peakRss } = await ask<{ peakRss: number }>({ report: true });
const mib = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
console.log(`raw fetch walk (baseline): ${baseline.rows.toLocaleString()} contacts in ${baseline.seconds.toFixed(1)} s = ${Math.round(baseline.perSecond).toLocaleString()} contacts/s`);
console.log(`client walk (zod parsing): ${measured.rows.toLocaleString()} contacts in ${measured.seconds.toFixed(1)} s = ${Math.round(measured.perSecond).toLocaleString()} contacts/s`);
console.log(`  vs goal ${GOAL_PER_SECOND.toLocaleString()}/s: ${(measured.perSecond / GOAL_PER_SECOND).toFixed(2)}x; vs raw baseline: ${(measured.perSecond / baseline.perSecond).toFixed(2)}x`);
console.log(`simulator peak RSS: ${mib(peakRss)} = ${(peakRss / GOAL_RSS).toFixed(2)} of the 1 GiB goal`);
console.log(`client peak RSS: ${mib(clientPeak)}`);
child.kill();
process.exit(0);
