/**
 * Seeds the org of `npm run bench:pages` with COPY: regions with boundaries, reporter groups,
 * contact fields, contacts and their memberships, polls with numeric, categorical and open
 * questions over weekly poll runs, responses and answers. Rows are written as ingestion leaves
 * them (region, reporter groups and "counted" copied from the contact; same-day values), with the
 * counter triggers and foreign-key checks off for the load (session_replication_role = replica)
 * and secondary indexes rebuilt after it; the counters are then built by the real rebuild.
 * Import after DATABASE_URL points at the bench database.
 */
import pg from 'pg';
import { createOrg } from '../../src/commands/orgCreator.js';
import { rebuildCounters } from '../../src/db/counters.js';
import { answerOf, BENCH_POLLS, benchRegions, CONTACT_FIELDS, hash01, REPORTER_GROUPS, statusOf, type BenchQuestion } from './dashboardData.js';
import { copyLines, copyText, withoutSecondaryIndexes } from './bulkLoad.js';

/** How big the bench org is. */
export interface DashboardSize {
  contacts: number;
  /** Answers to aim for (the newest poll run of the first poll alone has every contact answer). */
  answers: number;
  /** Weekly poll runs per poll. */
  weeks: number;
  provinces: number;
  districtsPerProvince: number;
}

/** What the benchmark needs to know of the seeded org. */
export interface SeededDashboard {
  orgId: number;
  subdomain: string;
  timeZone: string;
  polls: { id: number; name: string; questions: { id: number; key: string; type: BenchQuestion['type'] }[]; runIds: number[] }[];
  /** The poll run every contact answered, none left empty (the 1,000,000-row CSV). */
  bigRunId: number;
  /** A province (its districts below it) for the supervisor. */
  supervisorRegionId: number;
  rows: { contacts: number; responses: number; answers: number };
  seconds: Record<string, number>;
}

export const TIME_ZONE = 'Africa/Kigali';
// Kigali has no daylight saving time: org-local days are UTC+2 days.
const LOCAL_OFFSET_MS = 2 * 3_600_000;
const DAY_MS = 86_400_000;
const localDay = (ms: number) => new Date(ms + LOCAL_OFFSET_MS).toISOString().slice(0, 10);
const iso = (ms: number) => new Date(ms).toISOString();
const uuidOf = (kind: number, id: number) => `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${id.toString(16).padStart(12, '0')}`;

/** A poll run to fill: who answers is a deterministic sample of the contacts (all for the big run). */
interface RunPlan {
  id: number;
  index: number;
  pollId: number;
  questions: { id: number; question: BenchQuestion }[];
  conductedMs: number;
  share: number;
}

const timer = () => {
  const started = performance.now();
  return () => Math.round((performance.now() - started) / 100) / 10;
};

/**
 * Seeds the bench org.
 * @param databaseUrl the bench database.
 * @param size how big.
 * @param log progress lines.
 * @returns what was seeded.
 */
export async function seedDashboard(databaseUrl: string, size: DashboardSize, log: (line: string) => void): Promise<SeededDashboard> {
  const seconds: Record<string, number> = {};
  const org = await createOrg({ name: 'Bench dashboard', subdomain: 'bench', apiUrl: 'http://127.0.0.1:9', apiToken: 'x', timezone: TIME_ZONE, languages: ['en', 'fr'], defaultLanguage: 'en' });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const now = Date.now();
    const regions = await insertRegions(client, org.id, size);
    const groupIds = await insertReporterGroups(client, org.id);
    await insertDataFields(client, org.id);
    const polls = await insertPolls(client, org.id);
    const plans = await insertPollRuns(client, org.id, polls, size, now);
    const districts = regions.filter((r) => r.level === 2);

    await client.query(`SET session_replication_role = replica; SET synchronous_commit = off; SET maintenance_work_mem = '1GB'`);
    let elapsed = timer();
    const counts = { contacts: 0, responses: 0, answers: 0 };
    const groupsOf = (contactId: number) => groupIds.filter((_, g) => hash01(contactId, 1000 + g) < 0.3);
    const regionOf = (contactId: number) => districts[contactId % districts.length]!;
    seconds['indexes rebuilt'] = await withoutSecondaryIndexes(client, ['contacts', 'contact_reporter_groups', 'responses', 'answers'], async () => {
      counts.contacts = await copyLines(client,
        'COPY contacts (id, org_id, uuid, name, urn, urns, language, region_id, group_uuids, fields, status, is_active, sync_state, created_at, updated_at) FROM STDIN',
        contactLines(org.id, size.contacts, regionOf, groupsOf, now));
      await copyLines(client, 'COPY contact_reporter_groups (org_id, contact_id, reporter_group_id) FROM STDIN', membershipLines(org.id, size.contacts, groupsOf));
      seconds.contacts = elapsed();
      log(`  ${counts.contacts.toLocaleString()} contacts in ${seconds.contacts} s`);
      elapsed = timer();
      counts.responses = await copyLines(client,
        `COPY responses (id, org_id, poll_run_id, poll_id, contact_id, run_uuid, created_on, updated_on, completed_on, status, is_active, exit_type,
                         region_id, group_ids, contact_counted, created_at, updated_at) FROM STDIN`,
        responseLines(org.id, plans, size.contacts, regionOf, groupsOf, now));
      seconds.responses = elapsed();
      log(`  ${counts.responses.toLocaleString()} responses in ${seconds.responses} s`);
      elapsed = timer();
      counts.answers = await copyLines(client,
        `COPY answers (id, org_id, response_id, question_id, contact_id, poll_run_id, value, category, submitted_on, local_day, last_value, sum_value,
                       counted, region_id, group_ids) FROM STDIN`,
        answerLines(org.id, plans, size.contacts, regionOf, groupsOf, now));
      seconds.answers = elapsed();
      log(`  ${counts.answers.toLocaleString()} answers in ${seconds.answers} s (${Math.round(counts.answers / seconds.answers!).toLocaleString()}/s)`);
    });
    log(`  secondary indexes rebuilt in ${seconds['indexes rebuilt']!.toFixed(1)} s`);
    await client.query('SET session_replication_role = origin');
    for (const table of ['contacts', 'responses', 'answers']) await client.query(`SELECT setval('${table}_id_seq', (SELECT max(id) FROM ${table}))`);

    elapsed = timer();
    for (const table of ['contacts', 'contact_reporter_groups', 'responses', 'answers']) await client.query(`VACUUM (ANALYZE) ${table}`);
    seconds.vacuum = elapsed();
    log(`  vacuum and analyze in ${seconds.vacuum} s`);

    elapsed = timer();
    const database = new URL(databaseUrl).pathname.slice(1);
    // The rebuild aggregates every answer once: give it room to hash in memory, then restore the default.
    await client.query(`ALTER DATABASE "${database}" SET work_mem = '256MB'`);
    const written = await rebuildCounters(org.id);
    await client.query(`ALTER DATABASE "${database}" RESET work_mem`);
    for (const table of ['answer_counters', 'response_counters']) await client.query(`VACUUM (ANALYZE) ${table}`);
    // The small tables too, as autovacuum would have by the time anyone reads these pages.
    await client.query('ANALYZE');
    seconds.counters = elapsed();
    log(`  counters rebuilt in ${seconds.counters} s (${Object.entries(written).map(([t, n]) => `${t} ${n.toLocaleString()}`).join(', ')})`);

    const big = plans.find((p) => p.share === 1)!;
    return {
      orgId: org.id, subdomain: org.subdomain, timeZone: TIME_ZONE,
      polls: polls.map((p) => ({
        id: p.id, name: p.name,
        questions: p.questions.map((q) => ({ id: q.id, key: q.question.key, type: q.question.type })),
        runIds: plans.filter((r) => r.pollId === p.id).map((r) => r.id),
      })),
      bigRunId: big.id,
      supervisorRegionId: regions.find((r) => r.level === 1)!.id,
      rows: counts, seconds,
    };
  } finally {
    await client.end();
  }
}

async function insertRegions(client: pg.Client, orgId: number, size: DashboardSize) {
  const ids = new Map<string, { id: number; boundaryId: number }>();
  const result: { id: number; level: 1 | 2 }[] = [];
  for (const region of benchRegions(size.provinces, size.districtsPerProvince)) {
    const parent = region.parentKey ? ids.get(region.parentKey)! : null;
    const geometry = { type: 'Polygon', coordinates: [region.ring] };
    const simplified = { type: 'Polygon', coordinates: [[...region.ring.filter((_, i) => i % 6 === 0), region.ring[0]]] };
    const { rows: [boundary] } = await client.query<{ id: number }>(
      `INSERT INTO boundaries (org_id, osm_id, name, level, parent_id, geometry, simplified, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, now()) RETURNING id`,
      [orgId, `R${region.key}`, region.name, region.level, parent?.boundaryId ?? null, geometry, simplified]);
    const { rows: [row] } = await client.query<{ id: number }>(
      `INSERT INTO regions (org_id, uuid, name, parent_id, boundary_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, now(), now()) RETURNING id`,
      [orgId, uuidOf(1, result.length + 1), region.name, parent?.id ?? null, boundary!.id]);
    ids.set(region.key, { id: row!.id, boundaryId: boundary!.id });
    result.push({ id: row!.id, level: region.level });
  }
  return result;
}

async function insertReporterGroups(client: pg.Client, orgId: number): Promise<number[]> {
  const ids: number[] = [];
  for (const [i, name] of REPORTER_GROUPS.entries()) {
    const { rows: [row] } = await client.query<{ id: number }>(
      `INSERT INTO reporter_groups (org_id, uuid, name, created_at, updated_at) VALUES ($1, $2, $3, now(), now()) RETURNING id`, [orgId, uuidOf(2, i + 1), name]);
    ids.push(row!.id);
  }
  return ids;
}

async function insertDataFields(client: pg.Client, orgId: number) {
  for (const field of CONTACT_FIELDS) {
    await client.query(`INSERT INTO data_fields (org_id, key, label, visible, filterable, updated_at) VALUES ($1, $2, $3, true, true, now())`, [orgId, field.key, field.label]);
  }
}

async function insertPolls(client: pg.Client, orgId: number) {
  const polls: { id: number; name: string; questions: { id: number; question: BenchQuestion }[] }[] = [];
  for (const [p, poll] of BENCH_POLLS.entries()) {
    const { rows: [row] } = await client.query<{ id: number }>(
      `INSERT INTO polls (org_id, flow_uuid, rapidpro_name, is_active, created_at, updated_at) VALUES ($1, $2, $3, true, now(), now()) RETURNING id`,
      [orgId, uuidOf(3, p + 1), poll.name]);
    const questions: { id: number; question: BenchQuestion }[] = [];
    for (const [i, question] of poll.questions.entries()) {
      const { rows: [q] } = await client.query<{ id: number }>(
        `INSERT INTO questions (org_id, poll_id, key, ruleset_uuids, rapidpro_name, type, type_set_by_admin, flow_order, rules, categories, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, true, $7, $8, $9, now(), now()) RETURNING id`,
        [orgId, row!.id, question.key, [uuidOf(4, p * 10 + i)], question.name, question.type, i + 1, JSON.stringify(question.rules), question.categories]);
      questions.push({ id: q!.id, question });
    }
    polls.push({ id: row!.id, name: poll.name, questions });
  }
  return polls;
}

/** Weekly universal poll runs; the newest of the first poll is answered by everyone, the others by a share sized to reach the answer target. */
async function insertPollRuns(client: pg.Client, orgId: number, polls: Awaited<ReturnType<typeof insertPolls>>, size: DashboardSize, now: number): Promise<RunPlan[]> {
  // A complete response answers every question, a partial one half on average: 0.835 answers per question asked
  // (0.875 in the big poll run, whose empty responses are partial ones instead).
  const perResponse = (questions: number) => 0.835 * questions;
  const bigAnswers = size.contacts * 0.875 * polls[0]!.questions.length;
  const otherSlots = polls.reduce((sum, p, i) => sum + (size.weeks - (i === 0 ? 1 : 0)) * perResponse(p.questions.length), 0);
  const share = Math.max(0, Math.min(1, (size.answers - bigAnswers) / (size.contacts * otherSlots)));
  const plans: RunPlan[] = [];
  for (const [p, poll] of polls.entries()) {
    for (let week = 0; week < size.weeks; week++) {
      // Conducted a few hours before now, a week apart, each poll a day after the previous one.
      const conductedMs = now - 3 * 3_600_000 - (size.weeks - 1 - week) * 7 * DAY_MS - (polls.length - 1 - p) * DAY_MS;
      const { rows: [row] } = await client.query<{ id: number }>(
        `INSERT INTO poll_runs (org_id, poll_id, type, conducted_on, local_day, created_at, updated_at) VALUES ($1, $2, 'universal', $3, $4, now(), now()) RETURNING id`,
        [orgId, poll.id, iso(conductedMs), localDay(conductedMs)]);
      plans.push({ id: row!.id, index: plans.length, pollId: poll.id, questions: poll.questions, conductedMs, share: p === 0 && week === size.weeks - 1 ? 1 : share });
    }
  }
  return plans;
}

function* contactLines(orgId: number, contacts: number, regionOf: (id: number) => { id: number }, groupsOf: (id: number) => number[], now: number) {
  const created = iso(now - 200 * DAY_MS);
  for (let id = 1; id <= contacts; id++) {
    const fields = Object.fromEntries(CONTACT_FIELDS.map((f, i) => [f.key, f.values[Math.floor(hash01(id, 500 + i) * f.values.length)]]));
    const urn = `tel:+2507${String(id).padStart(8, '0')}`;
    const groups = groupsOf(id).map((g) => uuidOf(2, g)).join(',');
    yield `${id}\t${orgId}\t${uuidOf(5, id)}\tContact ${id}\t${urn}\t{${urn}}\tkin\t${regionOf(id).id}\t{${groups}}\t${copyText(JSON.stringify(fields))}\tactive\tt\tsynced\t${created}\t${created}`;
  }
}

function* membershipLines(orgId: number, contacts: number, groupsOf: (id: number) => number[]) {
  for (let id = 1; id <= contacts; id++) for (const group of groupsOf(id)) yield `${orgId}\t${id}\t${group}`;
}

/** Walks the responses of every poll run in one fixed order, so response ids agree between the two passes. */
function* responsesOf(plans: RunPlan[], contacts: number, now: number) {
  let responseId = 0;
  for (const plan of plans) {
    const window = Math.min(2 * DAY_MS, now - plan.conductedMs);
    for (let contactId = 1; contactId <= contacts; contactId++) {
      if (plan.share < 1 && hash01(contactId, plan.index) >= plan.share) continue;
      const { status, answered } = statusOf(contactId, plan.index, plan.questions.length, plan.share === 1);
      const updatedMs = plan.conductedMs + Math.floor(hash01(contactId, plan.index + 50_000) * window);
      yield { responseId: ++responseId, plan, contactId, status, answered, updatedMs };
    }
  }
}

function* responseLines(orgId: number, plans: RunPlan[], contacts: number, regionOf: (id: number) => { id: number }, groupsOf: (id: number) => number[], now: number) {
  const stamp = iso(now);
  for (const r of responsesOf(plans, contacts, now)) {
    const created = iso(r.plan.conductedMs);
    const updated = iso(r.updatedMs);
    const exit = r.status === 'C' ? 'completed' : '\\N';
    yield `${r.responseId}\t${orgId}\t${r.plan.id}\t${r.plan.pollId}\t${r.contactId}\t${uuidOf(6, r.responseId)}\t${created}\t${updated}\t${r.status === 'C' ? updated : '\\N'}\t${r.status}\tt\t${exit}\t${regionOf(r.contactId).id}\t{${groupsOf(r.contactId).join(',')}}\tt\t${stamp}\t${stamp}`;
  }
}

function* answerLines(orgId: number, plans: RunPlan[], contacts: number, regionOf: (id: number) => { id: number }, groupsOf: (id: number) => number[], now: number) {
  let answerId = 0;
  for (const r of responsesOf(plans, contacts, now)) {
    const region = regionOf(r.contactId).id;
    const groups = `{${groupsOf(r.contactId).join(',')}}`;
    for (let q = 0; q < r.answered; q++) {
      const { id: questionId, question } = r.plan.questions[q]!;
      const { value, category } = answerOf(question, r.contactId, r.plan.index);
      const submittedMs = r.updatedMs - (r.answered - 1 - q) * 60_000;
      yield `${++answerId}\t${orgId}\t${r.responseId}\t${questionId}\t${r.contactId}\t${r.plan.id}\t${value}\t${category ?? '\\N'}\t${iso(submittedMs)}\t${localDay(submittedMs)}\t${value}\t${value}\tt\t${region}\t${groups}`;
    }
  }
}
