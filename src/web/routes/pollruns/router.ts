import { Router } from 'express';
import { access } from '../../access.js';
import * as pages from './pages.js';

/** Poll runs: starting a poll for a region, a poll run's starts, restarting non-respondents (spec §9.4, §9.5, §17.8). */
export const pollRunsRouter = Router()
  .post('/pollruns', access.member('polls:start'), pages.create)
  .get('/pollruns/:id', access.member('polls:read'), pages.show)
  .post('/pollruns/:id/restart', access.member('polls:start'), pages.restart);
