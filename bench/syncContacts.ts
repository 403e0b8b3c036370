/**
 * `npm run bench:sync-contacts`: imports 1,000,000 contacts from the simulator (throttling and
 * budget off) through the real sync in a worker process, and prints contacts/s and the worker's
 * peak RSS beside a baseline measured in the same run: the same simulator walk with the rows
 * written by COPY. Goal: ≥ 0.5× the baseline rate, RSS under 400 MB throughout.
 */
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { RapidProClient } from '../src/rapidpro/client/index.js';
import { freshDatabase, mb, runChild, startSimulatorProcess, TOKEN } from './lib/setup.js';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const databaseUrl = await freshDatabase('tracpro_bench_sync');
process.env.DATABASE_URL = databaseUrl;
process.env.RAPIDPRO_BUDGET_OFF = 'true';
const sim = await startSimulatorProcess(CONTACTS);
console.log(`simulator: ${CONTACTS.toLocaleString()} contacts at ${sim.url}`);

const { connectBenchOrg } = await import('./lib/connect.js');
const orgId = await connectBenchOrg(sim.url);

/** Baseline: walk the same pages with the client and COPY the rows into a plain table. */
async function copyBaseline(): Promise<{ rows: number; seconds: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('CREATE UNLOGGED TABLE IF NOT EXISTS baseline_contacts (uuid text, name text, urns text, groups text, fields jsonb, status text, modified_on text)');
  const started = performance.now();
  let rows = 0;
  const api = new RapidProClient({ baseUrl: sim.url, token: TOKEN, budget: null });
  for await (const page of api.contacts({ reverse: true }).pages()) {
    const lines = page.items.map((c) =>
      [c.uuid, c.name ?? '', JSON.stringify(c.urns), JSON.stringify(c.groups.map((g) => g.uuid)), JSON.stringify(c.fields), c.status ?? 'deleted', c.modifiedOn.iso]
        .map((v) => v.replace(/[\t\n\\]/g, ' '))
        .join('\t'),
    );
    await pipeline(Readable.from([lines.join('\n') + '\n']), client.query(copyFrom('COPY baseline_contacts FROM STDIN')));
    rows += page.items.length;
  }
  await client.end();
  return { rows, seconds: (performance.now() - started) / 1000 };
}

const baseline = await copyBaseline();
const baselineRate = baseline.rows / baseline.seconds;
console.log(`baseline (walk + COPY): ${baseline.rows.toLocaleString()} rows in ${baseline.seconds.toFixed(1)} s = ${baselineRate.toFixed(0)} contacts/s`);

const { result } = runChild('bench/lib/syncOrg.ts', [String(orgId)], { DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', RAPIDPRO_BUDGET_OFF: 'true' });
const { json } = await result;
const outcome = json?.outcome as { status: string; counts: Record<string, number> };
const seconds = json?.seconds as number;
const peakRss = json?.peakRss as number;
const created = outcome?.counts?.created ?? 0;
const rate = created / seconds;
console.log(`sync (worker process): ${created.toLocaleString()} contacts created in ${seconds.toFixed(1)} s = ${rate.toFixed(0)} contacts/s; counts ${JSON.stringify(outcome?.counts)}`);
console.log(`ratio to baseline: ${(rate / baselineRate).toFixed(2)}× (goal ≥ 0.50×)`);
console.log(`worker memory at the end: ${JSON.stringify(json?.memory)}; after GC ${JSON.stringify(json?.afterGc)}`);
console.log(`worker peak RSS: ${mb(peakRss)} (goal < 400 MB: ${(peakRss / (400 * 1024 * 1024)).toFixed(2)} of it); simulator peak RSS ${mb(await sim.peakRss())}`);
sim.stop();
process.exit(0);
