import { Router } from 'express';
import { access } from '../../access.js';
import * as pages from './pages.js';

/** CSV exports built by jobs: progress, then the download, for 24 hours (issue 6). */
export const exportsRouter = Router()
  .get('/exports/:id', access.member('polls:read'), pages.show)
  .get('/exports/:id/progress.json', access.member('polls:read'), pages.progress)
  .get('/exports/:id/download', access.member('polls:read'), pages.download);
