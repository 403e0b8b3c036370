import { randomUUID } from 'node:crypto';
import { db } from '../../src/db/client.js';
import { withPgTransaction } from '../../src/db/pool.js';
import { applyRunPage } from '../../src/db/pollRunIngest.js';
import type { Org, QuestionType, Role } from '../../src/generated/prisma/client.js';
import { localDay, type MappedRun } from '../../src/pollruns/runMapping.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { buildContact, buildRegions } from '../contacts/support.js';
import { buildOrg, buildUser, TEST_PASSWORD } from '../support/factories.js';
import type { TestServer } from '../support/server.js';

/** A response to ingest: when it was created, its answers (question key → [value, category, minutes after creation]). */
interface RunInput {
  contact: { uuid: string };
  created: string;
  start?: string | null;
  complete?: boolean;
  answers?: Record<string, [string, string | null, number]>;
}

/**
 * An org in Kigali time (UTC+2) with a poll of five questions (one hidden), regions North → North
 * One and South, reporter groups Teachers and Nurses, a visible data field, and contacts whose
 * names need CSV quoting. Responses are written with the ingestion code, so same-day values and
 * superseded responses are what the product stores.
 */
export async function buildDashboardOrg(overrides: Parameters<typeof buildOrg>[0] = {}) {
  const org = await buildOrg({ timezone: 'Africa/Kigali', languages: ['en', 'fa'], ...overrides });
  const regions = await buildRegions(org);
  const { north, northOne, south, teachers, nurses } = regions;
  await db().dataField.create({ data: { orgId: org.id, key: 'district', label: 'district', visible: true } });
  const poll = await db().poll.create({ data: { orgId: org.id, flowUuid: randomUUID(), rapidproName: 'Weekly Survey', isActive: true } });
  const question = (key: string, name: string, type: QuestionType, flowOrder: number, isActive = true) =>
    db().question.create({ data: { orgId: org.id, pollId: poll.id, key, rapidproName: name, type, flowOrder, isActive } });
  const questions = {
    pupils: await question('pupils', 'Pupils', 'numeric', 1),
    weather: await question('weather', 'Weather', 'multiple_choice', 2),
    comment: await question('comment', 'Comment', 'open', 3),
    voice: await question('voice', 'Voice note', 'recording', 4),
    hidden: await question('hidden', 'Hidden one', 'open', 5, false),
  };
  const contact = (name: string, regionId: number, groupIds: number[], district: string, urn?: string) =>
    buildContact(org, { name, regionId, groupIds, values: { district }, ...(urn ? { urn } : {}) });
  const contacts = {
    amina: await contact('Amélie Uwase', north.id, [teachers.id, nurses.id], 'Gasabo', 'tel:+250788000111'),
    chidi: await contact('Okafor, Chidi', northOne.id, [teachers.id], 'Kicukiro'),
    ben: await contact('Ben South', south.id, [nurses.id], 'Huye'),
    cat: await contact('Cat North', north.id, [], 'Gasabo'),
    dan: await contact('Dan Gone', north.id, [teachers.id], 'Gasabo'),
  };
  const keys = new Map(Object.entries(questions).map(([key, q]) => [key, q.id]));
  const ingest = (runs: RunInput[]) =>
    withPgTransaction((client) => applyRunPage(client, org.id, runs.map((input) => mappedRun(org, poll.id, keys, input))));
  return { org, poll, questions, contacts, ingest, ...regions };
}

function mappedRun(org: Org, pollId: number, keys: Map<string, number>, input: RunInput): MappedRun {
  const createdOn = new Date(input.created);
  const answers = Object.entries(input.answers ?? {}).map(([key, [value, category, minutes]]) => {
    const submittedOn = new Date(createdOn.getTime() + minutes * 60_000);
    return { questionId: keys.get(key)!, value, category, submittedOn, localDay: localDay(submittedOn, org.timezone) };
  });
  const updatedOn = new Date(Math.max(createdOn.getTime(), ...answers.map((a) => a.submittedOn.getTime())));
  return {
    runUuid: randomUUID(), pollId, contactUuid: input.contact.uuid, startUuid: input.start ?? null, createdOn, updatedOn,
    modifiedOn: updatedOn.toISOString(), localDay: localDay(createdOn, org.timezone),
    status: input.complete ? 'C' : answers.length ? 'P' : 'E', exitType: input.complete ? 'completed' : null,
    exitedOn: input.complete ? updatedOn : null, answers,
  };
}

/** The usual fixture's poll run: a day of runs in RapidPro, one superseded, one of a contact who then left. */
export async function buildDayOfRuns(s: Awaited<ReturnType<typeof buildDashboardOrg>>) {
  const { amina, chidi, ben, cat, dan } = s.contacts;
  await s.ingest([
    { contact: amina, created: '2024-03-05T09:00:00Z', answers: { pupils: ['10', 'Few', 1] } },
    { contact: dan, created: '2024-03-05T09:30:00Z', complete: true, answers: { pupils: ['3', 'Few', 2] } },
    { contact: ben, created: '2024-03-05T10:00:00Z' },
    { contact: cat, created: '2024-03-05T11:00:00Z', complete: true, answers: { pupils: ['7', 'Few', 3], weather: ['sunny', 'Sunny', 4], voice: ['https://rapidpro.example/media/cat.m4a', null, 5] } },
  ]);
  // Later the same day Amina answers again (a new run supersedes the first); Chidi starts and stops.
  await s.ingest([
    { contact: amina, created: '2024-03-05T12:00:00Z', complete: true, answers: { pupils: ['12', 'Few', 7], weather: ['Rainy', 'Rainy', 8], comment: ['Hello, "world" — ça va', null, 9], hidden: ['secret', null, 9] } },
    { contact: chidi, created: '2024-03-05T11:30:00Z', answers: { comment: ['=1+2', null, 5] } },
  ]);
  await db().contact.update({ where: { id: dan.id }, data: { isActive: false } });
  return db().pollRun.findFirstOrThrow({ where: { orgId: s.org.id, pollId: s.poll.id, type: 'universal' } });
}

/**
 * Signs a new member in.
 * @param app the test server.
 * @param org the org.
 * @param role the role.
 * @param regionIds regions assigned (supervisors, viewers).
 * @returns the user, agent and org host.
 */
export async function signedIn(app: TestServer, org: Org, role: Role, regionIds: number[] = []) {
  const user = await buildUser(org, { role });
  for (const regionId of regionIds) await orgDb(org.id).regionAccess.create({ data: { orgId: org.id, userId: user.id, regionId } });
  const agent = app.agent();
  await agent.signIn(user.email, TEST_PASSWORD);
  return { user, agent, host: agent.host(org.subdomain) };
}

/**
 * Parses RFC 4180 CSV (quoted cells, doubled quotes, CRLF) without a library, for checking exports.
 * @param text the file, with or without a byte-order mark.
 * @returns the rows.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && body[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}
