import { localDay } from '../dashboard/dateRange.js';
import { db } from '../db/client.js';
import { logger } from '../logger.js';
import { orgDb } from '../tenancy/orgDb.js';
import { withOrgSettings } from '../tenancy/orgSettings.js';

/** The demo's indicator: Attendance's first reports against the weekly school poll's. */
const DEMO_BASELINE_POLL = 'Attendance';
const DEMO_FOLLOW_UP_POLL = 'Weekly School Poll';

async function firstNumericQuestion(orgId: number, rapidproName: string) {
  const poll = await orgDb(orgId).poll.findFirst({ where: { rapidproName, isActive: true }, include: { questions: { orderBy: { flowOrder: 'asc' } } } });
  const question = poll?.questions.find((q) => q.type === 'numeric') ?? poll?.questions[0];
  return poll && question ? { pollId: poll.id, questionId: question.id } : null;
}

/**
 * Gives the demo org an indicator over the term its poll runs cover, so the home page features a
 * chart from the start, and turns on the spoof-data tools (spec §14.7). Does nothing to an org that
 * already has an indicator, or whose demo polls are missing.
 * @param orgId the demo org.
 */
export async function seedIndicatorDemo(orgId: number): Promise<void> {
  if (await orgDb(orgId).indicator.count()) return;
  const org = await db().org.findUniqueOrThrow({ where: { id: orgId } });
  const [baseline, followUp] = await Promise.all([firstNumericQuestion(orgId, DEMO_BASELINE_POLL), firstNumericQuestion(orgId, DEMO_FOLLOW_UP_POLL)]);
  if (!baseline || !followUp) {
    logger.warn({ orgId }, 'demo indicator skipped: its polls are not tracked');
    return;
  }
  const runs = await orgDb(orgId).pollRun.aggregate({
    where: { pollId: { in: [baseline.pollId, followUp.pollId] }, type: 'universal' },
    _min: { conductedOn: true },
    _max: { conductedOn: true },
  });
  const now = new Date();
  const first = localDay(runs._min.conductedOn ?? now, org.timezone);
  const last = localDay(runs._max.conductedOn ?? now, org.timezone);
  await orgDb(orgId).indicator.create({
    data: {
      orgId, name: 'Pupils attending: term reports against first reports',
      startDate: new Date(`${first}T00:00:00Z`), endDate: new Date(`${last}T00:00:00Z`),
      baselinePollId: baseline.pollId, baselineQuestionId: baseline.questionId,
      followUpPollId: followUp.pollId, followUpQuestionId: followUp.questionId,
      yAxisTitle: 'Pupils',
    },
  });
  await db().org.update({ where: { id: orgId }, data: { settings: withOrgSettings(org.settings, { showSpoofData: true }) as never } });
}
