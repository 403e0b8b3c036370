/**
 * `npm run bench:pages`: one org with 1,000,000 contacts and 10,000,000 answers (seeded with COPY,
 * counters built by the real rebuild), the real web app on a port, an admin and a supervisor
 * signed in. For home, poll detail, poll-run summary, participation and map it prints p50/p95 over
 * 200 requests beside the raw SQL of the same aggregates (plain SQL over answers and responses,
 * measured in the same run) and the SQL statements of each request of a page (its HTML and each
 * JSON its charts fetch; the budget holds per request); then it streams a 1,000,000-row CSV
 * and prints rows/s and RSS growth. Goals: p95 < 150 ms, ≤ 1.5× the raw SQL, ≤ 20 statements per
 * request; CSV ≥ 50,000 rows/s with RSS growth < 100 MB.
 *
 * A page counts as its HTML plus the JSON its charts fetch on load (in parallel, as a browser does);
 * the HTML alone is printed too. Sizes: BENCH_CONTACTS, BENCH_ANSWERS, BENCH_WEEKS; BENCH_REQUESTS
 * (200); BENCH_REUSE=1 measures the last seeded database again without seeding.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pg from 'pg';
import { freshDatabase, mb } from './lib/setup.js';
import { BenchAgent } from './lib/agent.js';
import { logQueries, ms, timeRepeated, type LoggedQuery, type Timings } from './lib/timing.js';
import type { SeededDashboard } from './lib/seedDashboard.js';

const SIZE = {
  contacts: Number(process.env.BENCH_CONTACTS ?? 1_000_000),
  answers: Number(process.env.BENCH_ANSWERS ?? 10_000_000),
  weeks: Number(process.env.BENCH_WEEKS ?? 24),
  provinces: 5,
  districtsPerProvince: 8,
};
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const RAW_BUDGET_MS = Number(process.env.BENCH_RAW_BUDGET_MS ?? 60_000);
// A page far off its goal (seconds per request) stops after this long rather than 200 runs; n is printed.
const PAGE_BUDGET_MS = Number(process.env.BENCH_PAGE_BUDGET_MS ?? 120_000);
const GOALS = { p95: 150, ratio: 1.5, queries: 20, csvRowsPerSecond: 50_000, csvRssMb: 100 };
const DATABASE = 'tracpro_bench_pages';
const PASSWORD = 'bench-password-123';

const base = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const databaseUrl = Object.assign(new URL(base), { pathname: `/${DATABASE}` }).toString();
const reuse = process.env.BENCH_REUSE === '1';
Object.assign(process.env, {
  DATABASE_URL: reuse ? databaseUrl : await freshDatabase(DATABASE),
  REDIS_PREFIX: `tracpro-bench-pages:${Date.now()}`, BASE_HOST: 'tracpro.localhost', LOG_LEVEL: 'silent', NODE_ENV: 'production',
  SECRET_KEY: 'b'.repeat(40), ENCRYPTION_KEY: '1'.repeat(64), MAIL_URL: 'outbox', COOKIE_SECURE: 'false', DISABLE_SCHEDULES: 'true',
  DATABASE_POOL_SIZE: '10',
  // The CSV is timed as one streamed download: keep the request from handing it to an export job.
  EXPORT_INLINE_ROW_LIMIT: String(10 * SIZE.contacts),
});

const meta = new pg.Client({ connectionString: databaseUrl });
await meta.connect();
let seeded: SeededDashboard;
if (reuse) {
  seeded = (await meta.query<{ info: SeededDashboard }>('SELECT info FROM bench_meta')).rows[0]!.info;
  console.log(`reusing ${DATABASE}: ${JSON.stringify(seeded.rows)}`);
} else {
  const { seedDashboard } = await import('./lib/seedDashboard.js');
  console.log(`seeding ${SIZE.contacts.toLocaleString()} contacts, about ${SIZE.answers.toLocaleString()} answers, ${SIZE.weeks} weekly poll runs of 3 polls`);
  const started = performance.now();
  seeded = await seedDashboard(databaseUrl, SIZE, (line) => console.log(line));
  console.log(`seeded in ${((performance.now() - started) / 1000).toFixed(0)} s: ${JSON.stringify(seeded.rows)}`);
  await meta.query('CREATE TABLE bench_meta (info jsonb)');
  await meta.query('INSERT INTO bench_meta VALUES ($1)', [seeded]);
}
await meta.end();

const { createApp } = await import('../src/web/app.js');
const { createLogger } = await import('../src/logger.js');
const { createUser } = await import('../src/commands/userCreator.js');
const { db, closeDb } = await import('../src/db/client.js');
const raw = await import('./lib/rawAggregates.js');

const app = createApp(createLogger());
const server = await new Promise<Server>((resolve) => {
  const s = app.listen(0, '127.0.0.1', () => resolve(s));
});
const { port } = server.address() as AddressInfo;

async function signedIn(role: 'admin' | 'supervisor') {
  const user = await createUser({ email: `${role}-${Date.now()}@bench.example.org`, name: `Bench ${role}`, password: PASSWORD, isSuperuser: false, mustChangePassword: false, language: 'en' },
    { orgId: seeded.orgId, role });
  if (role === 'supervisor') await db().regionAccess.create({ data: { orgId: seeded.orgId, userId: user.id, regionId: seeded.supervisorRegionId } });
  const agent = new BenchAgent(port);
  await agent.signIn(user.email, PASSWORD);
  return agent;
}

/** The regions a role's pages count: everything, or the supervisor's province and its districts. */
async function regionsOf(role: 'admin' | 'supervisor'): Promise<number[] | null> {
  if (role === 'admin') return null;
  const rows = await db().region.findMany({ where: { orgId: seeded.orgId, OR: [{ id: seeded.supervisorRegionId }, { parentId: seeded.supervisorRegionId }] }, select: { id: true } });
  return rows.map((r) => r.id);
}

const rawPool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
const weekly = seeded.polls[0]!;
const asRaw = (q: { id: number; type: string }) => ({ id: q.id, type: q.type as 'numeric' | 'multiple_choice' | 'open' });
const numeric = weekly.questions.find((q) => q.type === 'numeric')!;

/** A page of the dashboard: its address, and its baseline. */
interface PageSpec {
  name: string;
  path: string;
  /** JSON addresses fetched on load besides those its HTML names (a map's boundaries). */
  extraJson?: string[];
  /** Measure only these JSON addresses (the map), not the HTML. */
  jsonOnly?: (html: string) => string[];
  raw: (regionIds: number[] | null) => Promise<void>;
}

const PAGES: PageSpec[] = [
  { name: 'home', path: '/', raw: (regionIds) => raw.rawHome(rawPool, { orgId: seeded.orgId, regionIds }) },
  { name: 'poll detail', path: `/polls/${weekly.id}`, raw: (regionIds) => raw.rawPollDetail(rawPool, { orgId: seeded.orgId, regionIds }, weekly.questions.map(asRaw), weekly.runIds) },
  { name: 'poll-run summary', path: `/pollruns/${seeded.bigRunId}`, raw: (regionIds) => raw.rawPollRunSummary(rawPool, { orgId: seeded.orgId, regionIds }, weekly.questions.map(asRaw), seeded.bigRunId) },
  { name: 'participation', path: `/pollruns/${seeded.bigRunId}/participation`, raw: (regionIds) => raw.rawParticipation(rawPool, { orgId: seeded.orgId, regionIds }, seeded.bigRunId) },
  {
    name: 'map JSON', path: `/pollruns/${seeded.bigRunId}`,
    jsonOnly: (html) => [...jsonOf(html).filter((u) => /map/i.test(u)), '/api/boundaries'],
    raw: (regionIds) => raw.rawMap(rawPool, { orgId: seeded.orgId, regionIds }, asRaw(numeric), seeded.bigRunId),
  },
];

/** The JSON a page's charts fetch on load: every figure's data-src, and the boundaries of maps (static/js/app.js draws them all at once). */
function jsonOf(html: string): string[] {
  const urls = [...html.matchAll(/data-(?:src|boundaries)="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
  return [...new Set(urls)].filter((u) => u.startsWith('/'));
}

interface Row {
  page: string;
  role: string;
  status: string;
  html?: Timings;
  page_?: Timings;
  raw?: Timings;
  queries?: number;
  /** Statements of each request of the page: the HTML first, then each JSON. */
  perRequest?: number[];
  json?: number;
  perJson?: [string, Timings][];
  slow?: LoggedQuery[];
}

async function measurePage(spec: PageSpec, role: 'admin' | 'supervisor', agent: BenchAgent): Promise<Row> {
  const host = agent.host(seeded.subdomain);
  const first = await agent.get(host, spec.path);
  if (first.status !== 200) return { page: spec.name, role, status: `HTTP ${first.status} (not measured)` };
  const json = spec.jsonOnly ? spec.jsonOnly(first.body) : [...jsonOf(first.body), ...(spec.extraJson ?? [])];
  const fetchJson = async () => {
    const answers = await Promise.all(json.map((u) => agent.get(host, u)));
    const failed = answers.findIndex((a) => a.status !== 200);
    if (failed >= 0) throw new Error(`${json[failed]} answered ${answers[failed]!.status}`);
  };
  const whole = spec.jsonOnly ? fetchJson : async () => {
    const page = await agent.get(host, spec.path);
    if (page.status !== 200) throw new Error(`${spec.path} answered ${page.status}`);
    await fetchJson();
  };
  try {
    const perRequest = spec.jsonOnly ? [] : [(await logQueries(() => agent.get(host, spec.path))).length];
    for (const u of json) perRequest.push((await logQueries(() => agent.get(host, u))).length);
    const page_ = await timeRepeated(whole, { n: REQUESTS, budgetMs: PAGE_BUDGET_MS });
    const html = spec.jsonOnly ? undefined : await timeRepeated(() => agent.get(host, spec.path), { n: REQUESTS, budgetMs: PAGE_BUDGET_MS });
    // Each JSON alone, to name the slow ones.
    const perJson: [string, Timings][] = [];
    for (const u of json) perJson.push([u, await timeRepeated(() => agent.get(host, u), { n: Math.min(REQUESTS, 20), warmup: 1, budgetMs: 20_000 })]);
    // Statements of one warm page view (after the timed runs, so caches are as a returning user finds them).
    const log = await logQueries(whole);
    const regionIds = await regionsOf(role);
    const rawTimes = await timeRepeated(() => spec.raw(regionIds), { n: REQUESTS, warmup: 1, budgetMs: RAW_BUDGET_MS, min: 3 });
    const slow = [...log].sort((a, b) => b.ms - a.ms).slice(0, 3);
    return { page: spec.name, role, status: 'ok', html, page_, raw: rawTimes, queries: log.length, perRequest, json: json.length, perJson, slow };
  } catch (error) {
    return { page: spec.name, role, status: `failed: ${(error as Error).message}` };
  }
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
// The query budget holds per request: the page's HTML, and each JSON endpoint its charts fetch.
const mostPerRequest = (row: Row) => Math.max(...row.perRequest!);
const rows: Row[] = [];
// BENCH_ONLY=csv measures the CSV alone (with BENCH_REUSE=1, a quick re-measure).
for (const role of process.env.BENCH_ONLY === 'csv' ? [] : (['admin', 'supervisor'] as const)) {
  const agent = await signedIn(role);
  for (const spec of PAGES) {
    const row = await measurePage(spec, role, agent);
    rows.push(row);
    printRow(row);
  }
}

function printRow(row: Row) {
  if (row.status !== 'ok') return console.log(`${row.page.padEnd(17)} ${row.role.padEnd(10)} ${row.status}`);
  const p = row.page_!;
  const r = row.raw!;
  const ratio = p.p95 / r.p95;
  console.log(
    `${row.page.padEnd(17)} ${row.role.padEnd(10)} page p50 ${ms(p.p50)} p95 ${ms(p.p95)} (n=${p.n}) [${verdict(p.p95 < GOALS.p95)} < ${GOALS.p95} ms]` +
    `${row.html ? ` (HTML alone p50 ${ms(row.html.p50)} p95 ${ms(row.html.p95)}, +${row.json} JSON)` : ` (${row.json} JSON)`}` +
    ` | raw SQL p50 ${ms(r.p50)} p95 ${ms(r.p95)} (n=${r.n}) | page/raw ${ratio.toFixed(2)}× [${verdict(ratio <= GOALS.ratio)} ≤ ${GOALS.ratio}×]` +
    ` | statements per request ${row.perRequest!.join(' + ')} = ${row.queries} [${verdict(mostPerRequest(row) <= GOALS.queries)} ≤ ${GOALS.queries} each]`,
  );
  if (p.p95 >= GOALS.p95 || ratio > GOALS.ratio || mostPerRequest(row) > GOALS.queries) {
    for (const [u, t] of row.perJson!) console.log(`    JSON ${u}: p50 ${ms(t.p50)} p95 ${ms(t.p95)} (n=${t.n})`);
    for (const q of row.slow!) console.log(`    slowest statement: ${q.ms.toFixed(1)} ms  ${q.text.replace(/\s+/g, ' ').slice(0, 220)}`);
  }
}

/** Runs work with the process's RSS sampled every 50 ms from a collected heap: the growth is what the work holds. */
async function watchRss<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; growthMb: number; peak: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  let atPeak = process.memoryUsage();
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    if (now.rss > peak) [peak, atPeak] = [now.rss, now];
  }, 50);
  const started = performance.now();
  try {
    const result = await work();
    if (process.env.BENCH_MEMORY === '1') console.log(`  at peak: heap ${mb(atPeak.heapUsed)} of ${mb(atPeak.heapTotal)}, external ${mb(atPeak.external)}, array buffers ${mb(atPeak.arrayBuffers)}`);
    return { result, seconds: (performance.now() - started) / 1000, growthMb: (Math.max(peak, process.memoryUsage().rss) - before) / 1024 / 1024, peak };
  } finally {
    clearInterval(sampler);
  }
}

function printCsv(label: string, rowsOut: number, bytes: number, run: { seconds: number; growthMb: number; peak: number }) {
  const rate = rowsOut / run.seconds;
  console.log(
    `CSV ${label}: ${rowsOut.toLocaleString()} rows, ${mb(bytes)} in ${run.seconds.toFixed(1)} s = ${Math.round(rate).toLocaleString()} rows/s ` +
    `[${verdict(rate >= GOALS.csvRowsPerSecond)} ≥ ${GOALS.csvRowsPerSecond.toLocaleString()}]; RSS growth ${run.growthMb.toFixed(0)} MB (peak ${mb(run.peak)}) [${verdict(run.growthMb < GOALS.csvRssMb)} < ${GOALS.csvRssMb} MB]`,
  );
}

/**
 * The poll run every contact answered, as a CSV, both ways the app makes one: streamed by the
 * request (the inline limit is raised for the bench), and built by the export job into Postgres
 * (what a 1,000,000-row download does with the default limit). The server runs in this process and
 * the download in a child process, so the RSS growth is the server's.
 */
async function measureCsv() {
  const agent = await signedIn('admin');
  const host = agent.host(seeded.subdomain);
  const path = `/pollruns/${seeded.bigRunId}/responses.csv`;
  // The browser's side runs in a child process: the RSS measured is the server's alone. A first
  // download brings the server to the heap size it works at (a server in use has served before);
  // the second is measured.
  await agent.download(host, path);
  const http = await watchRss(() => agent.download(host, path));
  const { lines, bytes } = http.result;
  if (http.result.status !== 200 || !http.result.type.includes('csv')) console.log(`CSV: ${path} answered ${http.result.status} ${http.result.type} (not measured)`);
  else printCsv('download (HTTP, streamed by the request)', lines - 1, bytes, http);

  const { buildExportFile } = await import('../src/exports/exportBuilder.js');
  const regionIds = (await db().region.findMany({ where: { orgId: seeded.orgId, isActive: true }, select: { id: true } })).map((r) => r.id);
  const file = await db().exportFile.create({
    data: {
      orgId: seeded.orgId, kind: 'pollrun-responses', params: { pollRunId: seeded.bigRunId, regionIds, groupId: null, contact: {} },
      filename: 'responses.csv', expiresAt: new Date(Date.now() + 3_600_000),
    },
  });
  const job = await watchRss(() => buildExportFile(seeded.orgId, file.id));
  const built = await db().exportFile.findUniqueOrThrow({ where: { id: file.id } });
  if (job.result !== 'done') console.log(`CSV export job: ${job.result} ${built.error ?? ''}`);
  else printCsv('export job (built into Postgres chunks)', built.rows, Number(built.bytes), job);
  await db().exportFile.delete({ where: { id: file.id } });
}

await measureCsv();
console.log(`\nGoals: page p95 < ${GOALS.p95} ms, ≤ ${GOALS.ratio}× the raw SQL p95, ≤ ${GOALS.queries} SQL statements per request (the HTML, and each JSON); CSV ≥ ${GOALS.csvRowsPerSecond.toLocaleString()} rows/s, RSS growth < ${GOALS.csvRssMb} MB.`);
console.log(`Raw SQL: the same aggregates in plain SQL over responses/answers/contacts, ${REQUESTS} runs or ${RAW_BUDGET_MS / 1000} s (at least 3 runs), whichever ends first; pages stop after ${PAGE_BUDGET_MS / 1000} s (n printed).`);
await new Promise((resolve) => server.close(resolve));
await rawPool.end();
await closeDb();
process.exit(0);
