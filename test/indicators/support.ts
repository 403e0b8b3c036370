import { randomUUID } from 'node:crypto';
import { db } from '../../src/db/client.js';
import type { Contact, Org, PollRun, PollRunType, Question, ResponseStatus } from '../../src/generated/prisma/client.js';
import type { IndicatorScope } from '../../src/indicators/compute.js';
import { regionLinks } from '../../src/pollruns/startRules.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { buildContact, buildRegions } from '../contacts/support.js';
import { buildOrg } from '../support/factories.js';

/** A tracked poll with one numeric question. */
export async function pollWithQuestion(org: Org, name: string, questionName: string, options: { isActive?: boolean; type?: Question['type'] } = {}) {
  const poll = await db().poll.create({ data: { orgId: org.id, flowUuid: randomUUID(), rapidproName: name, isActive: options.isActive ?? true } });
  const question = await db().question.create({
    data: { orgId: org.id, pollId: poll.id, key: questionName.toLowerCase().replace(/\W+/g, '_'), rapidproName: questionName, type: options.type ?? 'numeric', flowOrder: 1 },
  });
  return { poll, question };
}

/**
 * An org for indicators: regions North → North One and South, a baseline poll "Enrolment" (question
 * "Pupils enrolled") and a follow-up poll "Attendance" (question "Pupils present").
 */
export async function indicatorOrg(overrides: Parameters<typeof buildOrg>[0] = {}) {
  const org = await buildOrg(overrides);
  const regions = await buildRegions(org);
  const baseline = await pollWithQuestion(org, 'Enrolment', 'Pupils enrolled');
  const followUp = await pollWithQuestion(org, 'Attendance', 'Pupils present');
  return { org, ...regions, baseline, followUp };
}

/** A contact of a region, with field values. */
export function contactIn(org: Org, regionId: number, name: string, values: Record<string, string> = {}) {
  return buildContact(org, { name, regionId, values });
}

/** A poll run conducted at noon UTC of a day. */
export function pollRunOn(org: Org, pollId: number, day: string, type: PollRunType = 'universal', regionId: number | null = null): Promise<PollRun> {
  return db().pollRun.create({ data: { orgId: org.id, pollId, type, regionId, conductedOn: new Date(`${day}T12:00:00Z`) } });
}

/**
 * A response written directly, as ingestion leaves it: the contact's region copied, its answers
 * (one per question) with their same-day values equal to the value (one answer a day), counted
 * when the response is active and the contact active with a region.
 */
export async function respond(run: PollRun, contact: Contact, status: ResponseStatus, answers: { question: Question; value: string; at?: Date }[] = [], options: { isActive?: boolean; createdOn?: Date } = {}) {
  const isActive = options.isActive ?? true;
  const counted = contact.isActive && contact.regionId !== null;
  const createdOn = options.createdOn ?? run.conductedOn;
  const response = await db().response.create({
    data: {
      orgId: run.orgId, pollRunId: run.id, pollId: run.pollId, contactId: contact.id, createdOn, updatedOn: createdOn, status, isActive,
      regionId: contact.regionId, contactCounted: counted,
    },
  });
  for (const answer of answers) {
    const at = answer.at ?? createdOn;
    await db().answer.create({
      data: {
        orgId: run.orgId, responseId: response.id, questionId: answer.question.id, contactId: contact.id, pollRunId: run.id,
        value: answer.value, submittedOn: at, localDay: new Date(`${at.toISOString().slice(0, 10)}T00:00:00Z`),
        lastValue: answer.value, sumValue: answer.value, counted: isActive && counted, regionId: contact.regionId,
      },
    });
  }
  return response;
}

/**
 * The scope of a reader of the org: "All regions" by default.
 * @param org the org.
 * @param context a current region, sub-regions, the data regions, the same-day mode.
 */
export async function scopeOf(org: Org, context: Partial<Pick<IndicatorScope, 'regionId' | 'includeSubregions' | 'dataRegionIds' | 'sameDayMode'>> = {}): Promise<IndicatorScope> {
  const regions = await orgDb(org.id).region.findMany({ where: { isActive: true }, select: { id: true, parentId: true } });
  return {
    orgId: org.id, timeZone: org.timezone, sameDayMode: context.sameDayMode ?? 'use_last',
    regionId: context.regionId ?? null, includeSubregions: context.includeSubregions ?? true,
    links: regionLinks(regions), dataRegionIds: context.dataRegionIds ?? null,
  };
}

/**
 * The worked example of spec §14.5 (all in universal poll runs, term Jan 10–12, 2024): baseline runs
 * Jan 10 and 11 (A 50, B 40, C no answer; A again 55 on Jan 11); follow-up runs Jan 10 (A 45,
 * B 38), Jan 11 (A 47, B no answer) and Jan 12 (nobody).
 */
export async function workedExample(overrides: Parameters<typeof buildOrg>[0] = {}) {
  const s = await indicatorOrg(overrides);
  const { org, north, south, baseline, followUp } = s;
  const a = await contactIn(org, north.id, 'Ann', { school: 'Hill School' });
  const b = await contactIn(org, south.id, 'Ben', { school: 'Lake School' });
  const c = await contactIn(org, north.id, 'Cat', { school: 'Hill School' });
  const b10 = await pollRunOn(org, baseline.poll.id, '2024-01-10');
  const b11 = await pollRunOn(org, baseline.poll.id, '2024-01-11');
  await respond(b10, a, 'C', [{ question: baseline.question, value: '50' }]);
  await respond(b10, b, 'C', [{ question: baseline.question, value: '40' }]);
  await respond(b10, c, 'E');
  await respond(b11, a, 'C', [{ question: baseline.question, value: '55' }]);
  const f10 = await pollRunOn(org, followUp.poll.id, '2024-01-10');
  const f11 = await pollRunOn(org, followUp.poll.id, '2024-01-11');
  const f12 = await pollRunOn(org, followUp.poll.id, '2024-01-12');
  await respond(f10, a, 'C', [{ question: followUp.question, value: '45' }]);
  await respond(f10, b, 'C', [{ question: followUp.question, value: '38' }]);
  await respond(f11, a, 'C', [{ question: followUp.question, value: '47' }]);
  await respond(f11, b, 'P');
  const indicator = await orgDb(org.id).indicator.create({
    data: {
      orgId: org.id, name: 'Term 1 attendance', startDate: new Date('2024-01-10T00:00:00Z'), endDate: new Date('2024-01-12T00:00:00Z'),
      baselinePollId: baseline.poll.id, baselineQuestionId: baseline.question.id,
      followUpPollId: followUp.poll.id, followUpQuestionId: followUp.question.id, yAxisTitle: 'Pupils',
    },
  });
  return { ...s, contacts: { a, b, c }, runs: { b10, b11, f10, f11, f12 }, indicator };
}
