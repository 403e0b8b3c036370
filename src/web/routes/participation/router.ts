import { Router } from 'express';
import { access } from '../../access.js';
import { validate } from '../../middleware/validate.js';
import * as matrix from './matrix.js';
import { ParticipationIndexSchema } from './schema.js';

/** Participation across polls: contacts × the latest poll runs (issue 6), limited to the region context. */
export const participationRouter = Router()
  .get('/participation', access.member('polls:read'), validate(ParticipationIndexSchema, 'query'), matrix.index)
  .get('/participation.csv', access.member('polls:read'), validate(ParticipationIndexSchema, 'query'), matrix.csv);
