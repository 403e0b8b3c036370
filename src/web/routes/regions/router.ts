import { Router } from 'express';
import { access } from '../../access.js';
import * as session from './session.js';

/** Region context, regions and reporter groups (spec §5.2, §17.5–17.6). */
export const regionsRouter = Router()
  .post('/session/region', access.member('home:read'), session.setRegion)
  .post('/session/include-subregions', access.member('home:read'), session.setSubregions);
