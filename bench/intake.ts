/**
 * Registration intake against 2 web and 2 worker processes, after a 5 s warm-up, in two phases of
 * 30 s: capacity (32 connections posting one after another: the sustained rate) and latency at the
 * goal rate (an open loop at half the baseline rate: p99, each request timed from when it was due).
 * After each, how long the counters take to equal the database. Baseline, measured in the same run:
 * the same rows inserted directly through Prisma with 32 connections.
 * Uses a scratch database (tracpro_bench) and its own Redis prefix.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import pg from 'pg';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const base = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const url = new URL(base);
url.pathname = '/tracpro_bench';
const BENCH_DB = url.toString();
const PREFIX = `tracpro-bench:${Date.now()}`;
Object.assign(process.env, { DATABASE_URL: BENCH_DB, REDIS_PREFIX: PREFIX, BASE_HOST: 'tracpro.localhost', LOG_LEVEL: 'error', DISABLE_SCHEDULES: 'true', NODE_ENV: 'production', SECRET_KEY: 'b'.repeat(40), ENCRYPTION_KEY: '1'.repeat(64), MAIL_URL: 'outbox', DATABASE_POOL_SIZE: '10' });

const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query('DROP DATABASE IF EXISTS tracpro_bench WITH (FORCE)');
await admin.query('CREATE DATABASE tracpro_bench');
await admin.end();
const { applyMigrations } = await import('../src/db/migrator.js');
await applyMigrations(BENCH_DB);

const { createOrg } = await import('../src/commands/orgCreator.js');
const { createSource, issueToken } = await import('../src/registrations/commands/sourceCreator.js');
const { orgDb } = await import('../src/tenancy/orgDb.js');
const { readCounters } = await import('../src/registrations/metrics/applier.js');
const { expectedCounters } = await import('../src/registrations/metrics/reconciler.js');
const { closeDb, db } = await import('../src/db/client.js');
const { closeRedis } = await import('../src/db/redis.js');
const { closeQueues } = await import('../src/jobs/queues.js');

const org = await createOrg({ name: 'Bench', subdomain: 'bench', apiUrl: 'http://127.0.0.1:9', apiToken: 'x', timezone: 'UTC', languages: ['en'], defaultLanguage: 'en' });
const source = (await createSource(org.id, { name: 'Bench', slug: 'bench', authority: 'hw_full' }))!;
const token = (await issueToken(org.id, source.id))!.secret;
// The baseline's rows go to an org of their own (same table), outside the intake org's counters.
const baselineOrg = await createOrg({ name: 'Baseline', subdomain: 'baseline', apiUrl: 'http://127.0.0.1:9', apiToken: 'x', timezone: 'UTC', languages: ['en'], defaultLanguage: 'en' });
const baselineSource = (await createSource(baselineOrg.id, { name: 'Baseline', slug: 'baseline', authority: 'hw_full' }))!;
const lmp = new Date(Date.now() - 20 * 7 * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
// Each registration is a different mother, as in real intake (one mother's thousands of
// registrations would only measure the growth of her own subscription list).
const mother = (i: number) => `${String(i).padStart(8, '0')}-9d89-4aa6-99ff-13c225365b5d`;
const data = (i: number) => ({
  operator_id: `op${String(i % 500).padStart(6, '0')}-6a07-4377-a4f6-c0485ccba234`, msg_receiver: 'mother_only', receiver_id: mother(i),
  language: ['eng_NG', 'hau_NG', 'ibo_NG'][i % 3], msg_type: 'text', last_period_date: lmp,
});

const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as net.AddressInfo;
    s.close(() => resolve(port));
  });
});
const children: ChildProcess[] = [];
const stopChildren = () => children.forEach((child) => child.kill('SIGTERM'));
// Interrupted (Ctrl-C, a timeout), the bench takes its web and worker processes down with it.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopChildren();
    process.exit(130);
  });
}
// BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") are passed to every child, for profiling.
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
// Worker processes lower their own CPU priority (WORKER_NICE, default 10), as in production.
const start = (role: string, port = 0) => {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/main.ts', role], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
};
const ports = [await freePort(), await freePort()];
for (const port of ports) start('web', port);
// BENCH_WORKERS=0 isolates the web side's latency (the counters then never catch up).
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
for (let i = 0; i < WORKERS; i++) start('worker');
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const post = (port: number, body: string) => new Promise<number>((resolve, reject) => {
  const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/registrations', agent, headers: { Host: 'bench.tracpro.localhost', 'Content-Type': 'application/json', Authorization: `Token ${token}`, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
    res.resume();
    res.on('end', () => resolve(res.statusCode ?? 0));
  });
  // A kept-alive socket the server closed just as it was reused: the request never reached it, so send it again (as Node's docs advise).
  req.on('error', (error: NodeJS.ErrnoException) => (req.reusedSocket && error.code === 'ECONNRESET' ? post(port, body).then(resolve, reject) : reject(error)));
  req.end(body);
});
for (const port of ports) {
  for (let i = 0; ; i++) {
    try {
      await new Promise<void>((resolve, reject) => http.get({ host: '127.0.0.1', port, path: '/healthz' }, (r) => (r.resume(), r.statusCode === 200 ? resolve() : reject(new Error('not ready')))).on('error', reject));
      break;
    } catch {
      if (i > 300) throw new Error('web did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** A measured phase: requests answered, its duration, and each request's latency in ms. */
interface Phase { count: number; seconds: number; latencies: number[] }

async function run(send: (i: number) => Promise<void>, seconds = SECONDS): Promise<Phase> {
  const latencies: number[] = [];
  let next = 0;
  const deadline = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < deadline) {
      const i = next++;
      const t = performance.now();
      await send(i);
      latencies.push(performance.now() - t);
    }
  }));
  return { count: latencies.length, seconds: (performance.now() - t0) / 1000, latencies };
}
// BENCH_TRACE=<file> writes each paced request's due time (epoch ms) and latency, to see when the slow ones were due.
const trace: [due: number, latency: number][] = [];
/** Sends `perSecond` requests a second for SECONDS on a fixed schedule, whatever the answers' pace; latency counts from when a request was due. */
async function runAt(send: (i: number) => Promise<void>, perSecond: number, seconds = SECONDS): Promise<Phase> {
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  const total = Math.round(perSecond * seconds);
  const t0 = performance.now();
  for (let sent = 0; sent < total; await new Promise((r) => setTimeout(r, 1))) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * perSecond) + 1);
    for (; sent < due; sent++) {
      const scheduled = t0 + (sent / perSecond) * 1000;
      inFlight.push(send(sent).then(() => {
        latencies.push(performance.now() - scheduled);
        trace.push([performance.timeOrigin + scheduled, performance.now() - scheduled]);
      }));
    }
  }
  await Promise.all(inFlight);
  return { count: latencies.length, seconds: (performance.now() - t0) / 1000, latencies };
}
/** Waits until every registration is counted and the live counters equal the database's; false on timeout. */
async function waitForCounters(timeoutMs: number): Promise<boolean> {
  if (!WORKERS) return false;
  const t0 = performance.now();
  for (; performance.now() - t0 < timeoutMs; ) {
    const pending = await orgDb(org.id).registration.count({ where: { metricsAppliedAt: null } });
    if (!pending) {
      const expected = await expectedCounters(org.id, ['registrations.created.total.last', 'registrations.language.eng_NG.total.last', 'registrations.unique_operators.sum']);
      const live = await readCounters(org.id, Object.keys(expected));
      if (JSON.stringify(live) === JSON.stringify(expected)) return true;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}
const quantile = (l: number[], q: number) => [...l].sort((a, b) => a - b)[Math.floor(l.length * q)] ?? 0;
const p99 = (l: number[]) => quantile(l, 0.99);

const benchStart = performance.now();
const progress = (text: string) => process.stderr.write(`[${((performance.now() - benchStart) / 1000).toFixed(0)} s] ${text}\n`);
let failures = 0;
let firstMother = 0;
const postRegistration = async (i: number) => {
  const n = firstMother + i;
  const status = await post(ports[n % 2]!, JSON.stringify({ stage: 'prebirth', motherId: mother(n), data: data(n) }));
  if (status !== 201) failures++;
};
/** Runs a phase of intake on fresh mothers, then waits for the counters; returns the phase and the catch-up time (NaN: none within 180 s). */
async function intakePhase(phase: (send: (i: number) => Promise<void>) => Promise<Phase>): Promise<Phase & { caughtUp: number }> {
  const result = await phase(postRegistration);
  firstMother += result.count;
  const last = performance.now();
  const caughtUp = (await waitForCounters(180_000)) ? (performance.now() - last) / 1000 : Number.NaN;
  progress(`${result.count} registrations in ${result.seconds.toFixed(1)} s; counters exact after ${caughtUp.toFixed(1)} s`);
  return { ...result, caughtUp };
}

// A deployment's Postgres runs autovacuum, which keeps the planner's statistics of these tables
// current. A server with it turned off (test machines often are) would go on planning them as the
// empty tables they were at the start, with plans no deployment sees: the bench then analyzes them
// once, after the warm-up.
const autovacuum = await db().$queryRawUnsafe<{ autovacuum: string }[]>('SHOW autovacuum');
const analyze = async () => {
  if (autovacuum[0]?.autovacuum !== 'off') return;
  await db().$executeRawUnsafe('ANALYZE');
  progress('autovacuum is off on this server: analyzed the tables after the warm-up, as autovacuum would have');
};

// Warm-up at full concurrency (JIT, connection pools, token look-up, the workers' paths), then a
// pause until the workers have caught up, so each measured phase starts from a steady state.
await intakePhase((send) => run(send, WARMUP_SECONDS));
await analyze();

// Baseline: the same rows inserted directly through Prisma with the same concurrency, after the same warm-up.
const scoped = orgDb(baselineOrg.id);
const insertDirect = async (i: number) => {
  const d = data(i);
  await scoped.registration.create({
    data: { orgId: baselineOrg.id, sourceId: baselineSource.id, stage: 'prebirth', motherId: mother(i), data: d, validationStatus: 'valid', regType: 'hw_pre', pregWeek: 20,
      invalidReasons: [], operatorId: d.operator_id, receiverId: d.receiver_id, msgType: 'text', msgReceiver: 'mother_only', language: d.language, createdBy: 'bench', updatedBy: 'bench', metricsAppliedAt: new Date() },
  });
};
await run(insertDirect, WARMUP_SECONDS);
const baseline = await run(insertDirect);
const baseRate = baseline.count / baseline.seconds;
progress(`baseline ${baseline.count} inserts`);

// Capacity: as many registrations as 32 connections can post one after another. The system is then
// saturated, so its latency is mostly queueing (Little's law: connections ÷ rate).
const capacity = await intakePhase((send) => run(send));
// Latency at the goal rate: registrations arrive on a fixed schedule (open loop) at half the
// baseline rate, each timed from when it was due, so a stall delays every request behind it.
const goalRate = Math.round(baseRate / 2);
const paced = await intakePhase((send) => runAt(send, goalRate));
stopChildren();

const rate = (p: Phase) => p.count / p.seconds;
const line = (p: Phase) => `p50 ${quantile(p.latencies, 0.5).toFixed(1)} ms, p99 ${p99(p.latencies).toFixed(1)} ms`;
const caught = (p: { caughtUp: number }) => (Number.isNaN(p.caughtUp) ? 'not within 180 s' : `${p.caughtUp.toFixed(1)} s`);
console.log(`baseline: ${baseline.count} direct inserts in ${baseline.seconds.toFixed(1)} s = ${baseRate.toFixed(0)}/s, ${line(baseline)} (${CONCURRENCY} connections)`);
console.log(`capacity: ${capacity.count} registrations in ${capacity.seconds.toFixed(1)} s = ${rate(capacity).toFixed(0)}/s, ${line(capacity)} (2 web + ${WORKERS} worker processes, ${CONCURRENCY} connections, saturated)`);
console.log(`at goal:  ${paced.count} registrations at ${goalRate}/s (half the baseline) sustained ${rate(paced).toFixed(0)}/s, ${line(paced)}, timed from when each was due`);
console.log(`ratio:    ${(rate(capacity) / baseRate).toFixed(2)}× the baseline (goal ≥ 0.5×); p99 at ${goalRate}/s ${p99(paced.latencies).toFixed(1)} ms (goal < 50 ms); ${failures} failures`);
console.log(`counters: exact ${caught(capacity)} after the capacity run's last request, ${caught(paced)} after the paced run's (goal ≤ 60 s)`);
if (process.env.BENCH_TRACE) writeFileSync(process.env.BENCH_TRACE, trace.map(([due, latency]) => `${due.toFixed(1)} ${latency.toFixed(1)}`).join('\n'));
agent.destroy();
await Promise.allSettled([closeDb(), closeRedis(), closeQueues()]);
process.exit(0);
