import { Router, type Request, type Response } from 'express';
import { NotFoundError } from '../../../errors.js';
import { displayName } from '../../../polls/flows.js';
import { orderQuestions } from '../../../polls/present.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { access } from '../../access.js';
import { idParam } from '../../forms.js';

/** GET /api/polls/:id/questions: the shown questions of a tracked poll of the org, in order (spec §18.5). */
async function pollQuestions(req: Request, res: Response) {
  const poll = await orgDb(req.org!.id).poll.findFirst({
    where: { id: idParam(req.params), isActive: true },
    include: { questions: { where: { isActive: true, isMissingInRapidPro: false } } },
  });
  if (!poll) throw new NotFoundError();
  res.json({ results: orderQuestions(poll.questions).map((q) => ({ id: q.id, name: displayName(q) })) });
}

/** The questions of a poll, for the indicator form's dependent select. */
export const pollQuestionsRouter = Router()
  .get('/api/polls/:id/questions', access.member('polls:read'), pollQuestions);
