/**
 * Posts registrations to 2 web processes for 30 s (with 2 worker processes applying metrics), after
 * a 5 s warm-up at the same concurrency and a pause for the workers to catch up, and
 * prints the sustained rate, p99 latency and how long the counters take to catch up, against a
 * baseline measured in the same run: the same rows inserted directly through Prisma.
 * Uses a scratch database (tracpro_bench) and its own Redis prefix.
 */
import { spawn, type ChildProcess } from 'node:child_process';
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
const { closeDb } = await import('../src/db/client.js');
const { closeRedis } = await import('../src/db/redis.js');
const { closeQueues } = await import('../src/jobs/queues.js');

const org = await createOrg({ name: 'Bench', subdomain: 'bench', apiUrl: 'http://127.0.0.1:9', apiToken: 'x', timezone: 'UTC', languages: ['en'], defaultLanguage: 'en' });
const source = (await createSource(org.id, { name: 'Bench', slug: 'bench', authority: 'hw_full' }))!;
const token = (await issueToken(org.id, source.id))!.secret;
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
  req.on('error', reject);
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

async function run(send: (i: number) => Promise<void>, seconds = SECONDS): Promise<{ count: number; seconds: number; latencies: number[] }> {
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
/** Waits until every registration is counted and the live counters equal the database's; false on timeout. */
async function waitForCounters(timeoutMs: number): Promise<boolean> {
  if (!WORKERS) return false;
  for (let waited = 0; waited < timeoutMs; waited += 250) {
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

let failures = 0;
let firstMother = 0;
const postRegistration = async (i: number) => {
  const n = firstMother + i;
  const status = await post(ports[n % 2]!, JSON.stringify({ stage: 'prebirth', motherId: mother(n), data: data(n) }));
  if (status !== 201) failures++;
};

// Warm-up at full concurrency (JIT, connection pools, token look-up, the workers' paths), then a
// pause until the workers have caught up, so the measured period starts from a steady state.
const warmUp = await run(postRegistration, WARMUP_SECONDS);
firstMother = warmUp.count;
await waitForCounters(120_000);

const intake = await run(postRegistration);
const lastRequest = performance.now();
const caughtUp = (await waitForCounters(180_000)) ? (performance.now() - lastRequest) / 1000 : Number.NaN;
for (const child of children) child.kill('SIGTERM');

// Baseline: the same rows, inserted directly with the same concurrency, after the same warm-up.
const scoped = orgDb(org.id);
const insertDirect = async (i: number) => {
  const d = data(i);
  await scoped.registration.create({
    data: { orgId: org.id, sourceId: source.id, stage: 'prebirth', motherId: mother(i), data: d, validationStatus: 'valid', regType: 'hw_pre', pregWeek: 20,
      invalidReasons: [], operatorId: d.operator_id, receiverId: d.receiver_id, msgType: 'text', msgReceiver: 'mother_only', language: d.language, createdBy: 'bench', updatedBy: 'bench', metricsAppliedAt: new Date() },
  });
};
await run(insertDirect, WARMUP_SECONDS);
const baseline = await run(insertDirect);

const rate = intake.count / intake.seconds;
const baseRate = baseline.count / baseline.seconds;
console.log(`intake:   ${intake.count} registrations in ${intake.seconds.toFixed(1)} s = ${rate.toFixed(0)}/s, p50 ${quantile(intake.latencies, 0.5).toFixed(1)} ms, p99 ${p99(intake.latencies).toFixed(1)} ms, ${failures} failures (2 web + ${WORKERS} worker processes, ${CONCURRENCY} connections)`);
console.log(`baseline: ${baseline.count} direct inserts in ${baseline.seconds.toFixed(1)} s = ${baseRate.toFixed(0)}/s, p50 ${quantile(baseline.latencies, 0.5).toFixed(1)} ms, p99 ${p99(baseline.latencies).toFixed(1)} ms`);
console.log(`ratio:    ${(rate / baseRate).toFixed(2)}× the baseline (goal ≥ 0.5×); p99 ${p99(intake.latencies).toFixed(1)} ms (goal < 50 ms)`);
console.log(`counters: ${Number.isNaN(caughtUp) ? 'did not catch up within 180 s' : `exact ${caughtUp.toFixed(1)} s after the last request`} (goal ≤ 60 s)`);
agent.destroy();
await Promise.allSettled([closeDb(), closeRedis(), closeQueues()]);
process.exit(0);
