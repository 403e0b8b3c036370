import { Router } from 'express';
import { access } from '../../access.js';
import * as pages from './pages.js';
import * as session from './session.js';

/** Region context, regions and reporter groups (spec §5.2, §17.5–17.6). */
export const regionsRouter = Router()
  .post('/session/region', access.member('home:read'), session.setRegion)
  .post('/session/include-subregions', access.member('home:read'), session.setSubregions)
  .get('/regions', access.member('org:manage'), pages.index)
  .get('/regions/select', access.member('org:manage'), pages.selectForm('regions'))
  .post('/regions/select', access.member('org:manage'), pages.select('regions'))
  .post('/regions/hierarchy', access.member('org:manage'), pages.saveHierarchy)
  .get('/groups', access.member('org:manage'), pages.groups)
  .get('/groups/select', access.member('org:manage'), pages.selectForm('reporterGroups'))
  .post('/groups/select', access.member('org:manage'), pages.select('reporterGroups'));
