/**
 * `npm run bench:kill-resume`: imports 200,000 contacts with a real worker process, kills it with
 * SIGKILL in the middle, starts another, and checks the import ends with exact counts and no
 * duplicate. Prints the times, the rate, and the import rate without a kill as the baseline.
 */
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { freshDatabase, mb, startSimulatorProcess, TOKEN } from './lib/setup.js';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 200_000);
const databaseUrl = await freshDatabase('tracpro_bench_kill');
const prefix = `tracpro-bench-kill-${Date.now()}`;
Object.assign(process.env, { DATABASE_URL: databaseUrl, REDIS_PREFIX: prefix, RAPIDPRO_BUDGET_OFF: 'true', LOG_LEVEL: 'silent' });
const sim = await startSimulatorProcess(CONTACTS);
const { connectBenchOrg } = await import('./lib/connect.js');
const { db, closeDb } = await import('../src/db/client.js');
const { syncTask } = await import('../src/jobs/tasks/SyncTask.js');
const { closeQueues } = await import('../src/jobs/queues.js');
const { RapidProClient } = await import('../src/rapidpro/client/index.js');

const workerEnv = { ...process.env, DISABLE_SCHEDULES: 'true', WORKER_LOCK_SECONDS: '2', SYNC_LEASE_SECONDS: '5', LOG_LEVEL: 'silent' };
const startWorker = () => spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'worker'], { env: workerEnv, stdio: ['ignore', 'ignore', 'inherit'] });
const state = (orgId: number) => db().syncState.findUnique({ where: { orgId_resource: { orgId, resource: 'contacts' } } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function importOnce(kill: boolean) {
  const orgId = await connectBenchOrg(sim.url);
  const started = performance.now();
  let worker = startWorker();
  await syncTask.enqueue(orgId, 'contacts', true);
  let killedAt: number | null = null;
  let doneAtKill = 0;
  if (kill) {
    while (doneAtKill < CONTACTS * 0.4) {
      await sleep(50);
      doneAtKill = ((await state(orgId))?.progress as { done?: number } | undefined)?.done ?? 0;
    }
    worker.kill('SIGKILL');
    killedAt = (performance.now() - started) / 1000;
    worker = startWorker();
  }
  let finished = await state(orgId);
  while (!finished?.lastSuccessAt) {
    await sleep(100);
    finished = await state(orgId);
  }
  const seconds = (performance.now() - started) / 1000;
  worker.kill('SIGTERM');
  const [rows, distinct] = await Promise.all([db().contact.count({ where: { orgId } }), db().contact.groupBy({ by: ['uuid'], where: { orgId } }).then((g) => g.length)]);
  return { orgId, seconds, killedAt, doneAtKill, counts: finished.lastCounts as Record<string, number>, rows, distinct };
}

const api = new RapidProClient({ baseUrl: sim.url, token: TOKEN, budget: null });
let expected = 0;
for await (const page of api.contacts().pages()) expected += page.items.filter((c) => !c.deleted && c.urns.length > 0).length;

const baseline = await importOnce(false);
console.log(`baseline (no kill): ${baseline.rows.toLocaleString()} contacts in ${baseline.seconds.toFixed(1)} s = ${(baseline.rows / baseline.seconds).toFixed(0)} contacts/s`);
const killed = await importOnce(true);
console.log(`killed at ${killed.killedAt!.toFixed(1)} s after ${killed.doneAtKill.toLocaleString()} contacts read; a new worker finished at ${killed.seconds.toFixed(1)} s`);
console.log(`rate with the kill: ${(killed.rows / killed.seconds).toFixed(0)} contacts/s = ${(baseline.seconds / killed.seconds).toFixed(2)}× the uninterrupted rate (the lease and job lock add a few seconds)`);
const exact = killed.counts.created === expected && killed.rows === expected && killed.distinct === expected;
console.log(`counts ${JSON.stringify(killed.counts)}; ${killed.rows.toLocaleString()} rows, ${killed.distinct.toLocaleString()} distinct, ${expected.toLocaleString()} expected → ${exact ? 'exact' : 'NOT EXACT'}`);
console.log(`simulator peak RSS ${mb(await sim.peakRss())}`);
sim.stop();
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const keys = await redis.keys(`${prefix}:*`);
if (keys.length) await redis.del(...keys);
await redis.quit();
await Promise.all([closeDb(), closeQueues()]);
process.exit(exact ? 0 : 1);
