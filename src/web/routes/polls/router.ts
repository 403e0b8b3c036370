import { Router } from 'express';
import { access } from '../../access.js';
import * as charts from './charts.js';
import * as pages from './pages.js';

/** Polls: the tracked flows, their selection, their questions and their charts (spec §13, §17.7, D1, D6). */
export const pollsRouter = Router()
  .get('/polls', access.member('polls:read'), pages.index)
  .get('/polls/select', access.member('polls:manage'), pages.selectForm)
  .post('/polls/select', access.member('polls:manage'), pages.select)
  .get('/polls/:id', access.member('polls:read'), pages.show)
  .get('/polls/:id/charts/:questionId.json', access.member('polls:read'), charts.chart)
  .get('/polls/:id/maps/:questionId.json', access.member('polls:read'), charts.map)
  .get('/polls/:id/edit', access.member('polls:manage'), pages.edit)
  .post('/polls/:id/edit', access.member('polls:manage'), pages.update);
