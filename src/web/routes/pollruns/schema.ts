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

const page = z.coerce.number().int().min(1).catch(1).default(1);

/** A poll-run list (`/pollruns`, `/polls/:id/pollruns`): the page. */
export const PollRunsIndexSchema = z.object({ page }).loose();
export type PollRunsIndexInput = z.infer<typeof PollRunsIndexSchema>;

/** The participation tab (spec §15.1): rows per reporter group (the default) or per region. */
export const PollRunParticipationSchema = z.object({ groupBy: z.enum(['group', 'region']).catch('group').default('group') }).loose();
export type PollRunParticipationInput = z.infer<typeof PollRunParticipationSchema>;

/** The responses tab (spec §17.8): the page; filters are read beside it (pollruns/filters.ts). */
export const PollRunResponsesSchema = z.object({ page }).loose();
export type PollRunResponsesInput = z.infer<typeof PollRunResponsesSchema>;
