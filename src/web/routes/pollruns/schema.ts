import { z } from 'zod';
import { msg } from '../../../i18n/msg.js';
import { checkbox } from '../../forms.js';

/** The home page's "Start a poll" form (spec §17.2 step 3, §17.8 `POST /pollruns`). */
export const PollRunStartSchema = z.object({
  poll: z.coerce.number({ error: msg('Choose a poll.') }).int().positive(msg('Choose a poll.')),
  region: z.coerce.number({ error: msg('Choose a region.') }).int().positive(msg('Choose a region.')),
  propagate: checkbox,
});
export type PollRunStartInput = z.infer<typeof PollRunStartSchema>;
