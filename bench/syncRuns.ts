/**
 * `npm run bench:sync-runs`: ingests 2,000,000 runs of a 3-question poll from the simulator
 * (throttling and budget off) through the real runs sync in a worker process — responses, answers,
 * same-day values and counters — and prints runs/s and the worker's RSS over time beside a baseline
 * measured in the same run: the same simulator walk with the rows written by COPY. Goal: ≥ 0.5× the
 * baseline, flat RSS. It then seeds answers up to 10,000,000 and times a same-day mode switch (the
 * settings write and the first numeric series read in the new mode). Goal: under 1 second.
 */
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { RapidProClient } from '../src/rapidpro/client/index.js';
import { freshDatabase, mb, runChild, startSimulatorProcess, TOKEN } from './lib/setup.js';

// About 0.21 tracked runs per contact and week (half the panels get each weekly start): 400,000 × 24 ≈ 2,000,000.
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 400_000);
const WEEKS = Number(process.env.BENCH_WEEKS ?? 24);
const ANSWERS_FOR_SWITCH = Number(process.env.BENCH_SWITCH_ANSWERS ?? 10_000_000);
const POLL = 'Weekly School Poll';

process.env.LOG_LEVEL ??= 'silent';
const databaseUrl = await freshDatabase('tracpro_bench_runs');
process.env.DATABASE_URL = databaseUrl;
process.env.RAPIDPRO_BUDGET_OFF = 'true';
const sim = await startSimulatorProcess(CONTACTS, { weeks: WEEKS, weeklyFlow: POLL, retentionDays: 3650 });
console.log(`simulator: ${CONTACTS.toLocaleString()} contacts, ${WEEKS} weekly starts of "${POLL}" at ${sim.url}`);

const { connectBenchOrg } = await import('./lib/connect.js');
const { db, closeDb } = await import('../src/db/client.js');
const { runSync } = await import('../src/sync/runSync.js');
const { SYNCERS } = await import('../src/sync/syncers.js');
const { selectPolls } = await import('../src/polls/pollSelector.js');
const orgId = await connectBenchOrg(sim.url);
for (const resource of ['contacts', 'flows'] as const) await runSync(orgId, SYNCERS[resource], { force: true });
const poll = await db().poll.findFirstOrThrow({ where: { orgId, rapidproName: POLL } });
await selectPolls(orgId, [poll.id]);
await runSync(orgId, SYNCERS.flows, { force: true });
console.log(`org ${orgId}: ${(await db().contact.count({ where: { orgId, isActive: true } })).toLocaleString()} active contacts, tracking "${POLL}"`);

const clean = (v: string) => v.replace(/[\t\n\\]/g, ' ');

/** Baseline: walk the same runs with the client and COPY runs and values into plain tables. */
async function copyBaseline(): Promise<{ runs: number; seconds: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`CREATE UNLOGGED TABLE baseline_runs (uuid text, flow text, contact text, created_on text, modified_on text, exit_type text);
                      CREATE UNLOGGED TABLE baseline_values (run text, key text, value text, category text, time text)`);
  const started = performance.now();
  let runs = 0;
  const api = new RapidProClient({ baseUrl: sim.url, token: TOKEN, budget: null });
  for await (const page of api.runs({ reverse: true, paths: false }).pages()) {
    const tracked = page.items.filter((r) => r.flow.uuid === poll.flowUuid);
    const runLines = tracked.map((r) => [r.uuid, r.flow.uuid, r.contact.uuid, r.createdOn.iso, r.modifiedOn.iso, r.exitType ?? ''].map(clean).join('\t'));
    const valueLines = tracked.flatMap((r) => Object.entries(r.values).map(([key, v]) => [r.uuid, key, v.value, v.category ?? '', v.time.iso].map(clean).join('\t')));
    if (runLines.length) await pipeline(Readable.from([runLines.join('\n') + '\n']), client.query(copyFrom('COPY baseline_runs FROM STDIN')));
    if (valueLines.length) await pipeline(Readable.from([valueLines.join('\n') + '\n']), client.query(copyFrom('COPY baseline_values FROM STDIN')));
    runs += tracked.length;
  }
  const seconds = (performance.now() - started) / 1000;
  await client.query('DROP TABLE baseline_runs; DROP TABLE baseline_values');
  await client.end();
  return { runs, seconds };
}

const baseline = await copyBaseline();
const baselineRate = baseline.runs / baseline.seconds;
console.log(`baseline (walk + COPY): ${baseline.runs.toLocaleString()} runs in ${baseline.seconds.toFixed(1)} s = ${baselineRate.toFixed(0)} runs/s`);

const { result } = runChild('bench/lib/syncOrg.ts', [String(orgId), 'runs'], { DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', RAPIDPRO_BUDGET_OFF: 'true' });
const { json } = await result;
const outcome = json?.outcome as { status: string; counts: Record<string, number> };
const seconds = json?.seconds as number;
const created = outcome?.counts?.created ?? 0;
// The baseline writes every tracked run; the sync reads the same runs and skips those of inactive contacts.
const handled = created + (outcome?.counts?.updated ?? 0) + (outcome?.counts?.skipped ?? 0);
const rate = handled / seconds;
const timeline = (json?.rssTimeline as number[] | undefined) ?? [];
console.log(`sync (worker process): ${handled.toLocaleString()} runs (${created.toLocaleString()} created) in ${seconds.toFixed(1)} s = ${rate.toFixed(0)} runs/s; counts ${JSON.stringify(outcome?.counts)}`);
console.log(`ratio to baseline: ${(rate / baselineRate).toFixed(2)}× (goal ≥ 0.50×)`);
const quarter = (q: number) => timeline[Math.min(timeline.length - 1, Math.floor((timeline.length * q) / 4))] ?? 0;
console.log(`worker RSS at 25/50/75/100 % of the walk: ${[1, 2, 3, 4].map((q) => mb(quarter(q - 0.001))).join(' / ')}; peak ${mb(json?.peakRss as number)}`);

const { squashCounterDeltas, checkCounters } = await import('../src/db/counters.js');
const answers = await db().answer.count({ where: { orgId } });
let started = performance.now();
let folded = 0;
for (let moved = -1; moved !== 0; ) folded += moved = await squashCounterDeltas(200_000);
console.log(`${answers.toLocaleString()} answers; squashed ${folded.toLocaleString()} counter deltas in ${((performance.now() - started) / 1000).toFixed(1)} s`);
started = performance.now();
const check = await checkCounters(orgId);
console.log(`aggregates check: ${check.mismatched} mismatched counters (${((performance.now() - started) / 1000).toFixed(1)} s)`);

// Seed more answers (synthetic daily poll runs of the same poll) so the switch meets 10,000,000.
const { seedAnswers } = await import('./lib/seedAnswers.js');
started = performance.now();
const total = await seedAnswers(databaseUrl, orgId, poll.id, ANSWERS_FOR_SWITCH - answers);
console.log(`seeded up to ${total.toLocaleString()} answers in ${((performance.now() - started) / 1000).toFixed(1)} s`);
for (let moved = -1; moved !== 0; ) moved = await squashCounterDeltas(200_000);

const { numericTotals } = await import('../src/db/counterReads.js');
const numeric = await db().question.findFirstOrThrow({ where: { orgId, pollId: poll.id, key: 'pupils_present' } });
const pollRunIds = (await db().pollRun.findMany({ where: { orgId, pollId: poll.id }, select: { id: true } })).map((p) => p.id);
for (const mode of ['sum', 'use_last'] as const) {
  started = performance.now();
  await db().org.update({ where: { id: orgId }, data: { settings: { sameDayMode: mode } } });
  const series = await numericTotals(orgId, numeric.id, pollRunIds, mode);
  const ms = performance.now() - started;
  console.log(`same-day switch to "${mode}" on ${total.toLocaleString()} answers: ${ms.toFixed(0)} ms incl. the first series of ${series.length} poll runs (goal < 1000 ms: ${(ms / 1000).toFixed(2)} of it)`);
}
await closeDb();
sim.stop();
process.exit(0);
