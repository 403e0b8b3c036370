import { Router } from 'express';
import { access } from '../../access.js';
import { validate } from '../../middleware/validate.js';
import * as lists from './lists.js';
import * as pages from './pages.js';
import { participation } from './participation.js';
import { responses, responsesCsvDownload } from './responses.js';
import * as summary from './summary.js';
import * as reminders from '../messages/reminders.js';
import { PollRunParticipationSchema, PollRunResponsesSchema, PollRunsIndexSchema } from './schema.js';

/** Poll runs: lists, a poll run's tabs and CSV, starting a poll for a region, restarting non-respondents (spec §9.4, §9.5, §15, §17.8, §19). */
export const pollRunsRouter = Router()
  .get('/pollruns', access.member('polls:read'), validate(PollRunsIndexSchema, 'query'), lists.index)
  .get('/polls/:id/pollruns', access.member('polls:read'), validate(PollRunsIndexSchema, 'query'), lists.ofPoll)
  .post('/pollruns', access.member('polls:start'), pages.create)
  .get('/pollruns/:id', access.member('polls:read'), summary.show)
  .get('/pollruns/:id/charts/:questionId.json', access.member('polls:read'), summary.chart)
  .get('/pollruns/:id/maps/:questionId.json', access.member('polls:read'), summary.map)
  .get('/pollruns/:id/map', access.member('polls:read'), summary.mapTab)
  .get('/pollruns/:id/participation', access.member('polls:read'), validate(PollRunParticipationSchema, 'query'), participation)
  .get('/pollruns/:id/reminders.json', access.member('polls:read'), reminders.show)
  .get('/pollruns/:id/responses', access.member('polls:read'), validate(PollRunResponsesSchema, 'query'), responses)
  .get('/pollruns/:id/responses.csv', access.member('polls:read'), responsesCsvDownload)
  .post('/pollruns/:id/restart', access.member('polls:start'), pages.restart);
