import { z } from 'zod';
import { MESSAGE_TEXT_MAX } from '../../../messages/messageSender.js';
import { requiredText } from '../../forms.js';

const optionalId = z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().positive().optional()).catch(undefined);

/** `GET /inbox`: page and reporter group (the region comes with the region context, `?region=&sub=`). */
export const InboxIndexSchema = z.object({ page: z.coerce.number().int().min(1).catch(1).default(1), group: optionalId }).loose();
export type InboxIndexInput = z.infer<typeof InboxIndexSchema>;

/** `GET /inbox/:contactId`: page of the conversation. */
export const InboxShowSchema = z.object({ page: z.coerce.number().int().min(1).catch(1).default(1) }).loose();
export type InboxShowInput = z.infer<typeof InboxShowSchema>;

/** `POST /inbox/:contactId`: the reply (required, not blank once trimmed). */
export const InboxReplySchema = z.object({ text: requiredText(MESSAGE_TEXT_MAX) });
