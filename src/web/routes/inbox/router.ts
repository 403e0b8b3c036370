import { Router } from 'express';
import { access } from '../../access.js';
import { validate } from '../../middleware/validate.js';
import * as pages from './pages.js';
import { InboxIndexSchema, InboxShowSchema } from './schema.js';

/** The inbox (spec §16.3, §17.10): latest message per contact, a conversation, and replies. */
export const inboxRouter = Router()
  .get('/inbox', access.member('inbox:read'), validate(InboxIndexSchema, 'query'), pages.index)
  .get('/inbox/:id', access.member('inbox:read'), validate(InboxShowSchema, 'query'), pages.show)
  .post('/inbox/:id', access.member('messages:send'), pages.reply);
