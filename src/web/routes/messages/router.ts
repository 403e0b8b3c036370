import { Router } from 'express';
import { access } from '../../access.js';
import { validate } from '../../middleware/validate.js';
import * as log from './log.js';
import { MessagesIndexSchema } from './schema.js';
import * as send from './send.js';

/** Messages to poll run participants (spec §16.1, §16.2, §17.10): sending, the log, a contact's messages. */
export const messagesRouter = Router()
  .get('/messages', access.member('messages:read'), validate(MessagesIndexSchema, 'query'), log.index)
  .post('/messages', access.member('messages:send'), send.create)
  .get('/contacts/:id/messages', access.member('contacts:manage'), validate(MessagesIndexSchema, 'query'), log.contactMessages);
