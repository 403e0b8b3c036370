import { Router } from 'express';
import { access } from '../../access.js';
import * as connection from './connection.js';
import { fetchRunsRouter } from './fetchRuns.js';
import * as pages from './pages.js';

/** The org's own pages for its administrators (spec §17.3). */
export const orgRouter = Router()
  .get('/org', access.member('org:manage'), pages.show)
  .get('/org/edit', access.member('org:manage'), pages.edit)
  .post('/org/edit', access.member('org:manage'), pages.update)
  .get('/org/connection', access.member('org:manage'), connection.edit)
  .post('/org/connection', access.member('org:manage'), connection.update)
  .get('/org/sync', access.member('org:manage'), connection.status)
  .post('/org/sync', access.member('org:manage'), connection.syncNow)
  .use(fetchRunsRouter);
