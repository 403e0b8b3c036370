import { Router } from 'express';
import { access } from '../../access.js';
import * as pages from './pages.js';
import * as spoof from './spoof.js';
import * as view from './view.js';

/** Indicators (spec §14, §17.11, D1: viewers read them; admins and supervisors manage them). */
export const indicatorsRouter = Router()
  .get('/indicators', access.member('indicators:read'), pages.index)
  .get('/indicators/new', access.member('indicators:manage'), pages.newForm)
  .post('/indicators/new', access.member('indicators:manage'), pages.create)
  .get('/indicators/spoof', access.member('indicators:manage'), spoof.form)
  .post('/indicators/spoof', access.member('indicators:manage'), spoof.create)
  .post('/indicators/spoof/clear', access.member('indicators:manage'), spoof.clear)
  .get('/indicators/:id', access.member('indicators:read'), view.show)
  .get('/indicators/:id/chart', access.member('indicators:read'), view.chart)
  .get('/indicators/:id/edit', access.member('indicators:manage'), pages.edit)
  .post('/indicators/:id/edit', access.member('indicators:manage'), pages.update)
  .post('/indicators/:id/delete', access.member('indicators:manage'), pages.destroy);
