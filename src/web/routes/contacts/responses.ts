import type { Request, Response } from 'express';
import type { Answer, Question } from '../../../generated/prisma/client.js';
import { paginate } from '../../../lib/pagination.js';
import { displayName } from '../../../polls/flows.js';
import { orderQuestions } from '../../../polls/present.js';
import { valueToUse } from '../../../pollruns/sameDay.js';
import { presentContact } from '../../../presenters/contact.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { readOrgSettings, type OrgSettings } from '../../../tenancy/orgSettings.js';
import { loadContact } from './load.js';
import type { ContactResponsesInput } from './schema.js';

/**
 * The numbered answer lines of a response (spec §17.9): every shown question of the poll, in
 * order, with the value (open questions) or the category (others; the value when it has none),
 * blank when unanswered; no lines at all when nothing was answered.
 */
function answerLines(questions: Question[], answers: Pick<Answer, 'questionId' | 'value' | 'category' | 'lastValue' | 'sumValue'>[], mode: OrgSettings['sameDayMode']) {
  if (!answers.length) return [];
  const byQuestion = new Map(answers.map((a) => [a.questionId, a]));
  return questions.map((q, i) => {
    const answer = byQuestion.get(q.id);
    const value = answer ? (q.type === 'open' ? valueToUse(answer, q.type, mode) : answer.category ?? valueToUse(answer, q.type, mode)) : '';
    return { number: i + 1, question: displayName(q), answer: value };
  });
}

/**
 * GET /contacts/:id/responses: the contact's active responses in tracked polls, empty ones too,
 * newest change first, 25 a page, each with its numbered answers (spec §17.9).
 */
export async function index(req: Request, res: Response) {
  const contact = await loadContact(req);
  const { page } = req.input as ContactResponsesInput;
  const scoped = orgDb(req.org!.id);
  const where = { contactId: contact.id, isActive: true, poll: { isActive: true } };
  const total = await scoped.response.count({ where });
  const pager = paginate(page, total);
  const responses = await scoped.response.findMany({
    where,
    include: { poll: true, answers: { select: { questionId: true, value: true, category: true, lastValue: true, sumValue: true } } },
    orderBy: [{ updatedOn: 'desc' }, { id: 'desc' }],
    skip: pager.skip,
    take: pager.take,
  });
  const pollIds = [...new Set(responses.map((r) => r.pollId))];
  const questions = await scoped.question.findMany({ where: { pollId: { in: pollIds }, isActive: true, isMissingInRapidPro: false } });
  const mode = readOrgSettings(req.org!.settings).sameDayMode;
  res.render('pages/contacts/responses.njk', {
    contact: presentContact(contact, req.language),
    rows: responses.map((r) => ({
      pollRunId: r.pollRunId,
      pollId: r.pollId,
      pollName: displayName(r.poll),
      updatedOn: r.updatedOn,
      lines: answerLines(orderQuestions(questions.filter((q) => q.pollId === r.pollId)), r.answers, mode),
    })),
    pager: { ...pager, total },
  });
}
