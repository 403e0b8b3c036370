import { Router } from 'express';
import { changesApiRouter } from './changes.js';
import { apiErrors } from './errors.js';
import { metricsApiRouter } from './metrics.js';
import { registrationsApiRouter } from './registrations.js';
import { sourcesApiRouter } from './sources.js';

/** The JSON API v1 on org hosts (spec §4): token- or session-authenticated, errors as JSON envelopes. */
export const apiV1Router = Router()
  .use(registrationsApiRouter, changesApiRouter, metricsApiRouter, sourcesApiRouter)
  .use('/api/v1', apiErrors());
