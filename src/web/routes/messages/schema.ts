import { z } from 'zod';
import { msg } from '../../../i18n/msg.js';
import { MESSAGE_TEXT_MAX } from '../../../messages/messageSender.js';
import { requiredText } from '../../forms.js';

/** `POST /messages` (spec §16.1): a poll run, who gets the message, and its text. */
export const MessagesCreateSchema = z.object({
  pollRunId: z.coerce.number({ error: msg('This field is required.') }).int().positive(msg('This field is required.')),
  recipientGroup: z.enum(['all', 'respondents', 'non_respondents'], { error: msg('Choose who gets the message.') }),
  text: requiredText(MESSAGE_TEXT_MAX),
});
export type MessagesCreateInput = z.infer<typeof MessagesCreateSchema>;

/** A paginated list: `?page=`. */
export const MessagesIndexSchema = z.object({ page: z.coerce.number().int().min(1).catch(1).default(1) }).loose();
export type MessagesIndexInput = z.infer<typeof MessagesIndexSchema>;
