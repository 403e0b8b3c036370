import { z } from 'zod';

/** Participation across polls and its CSV: the page and a search on name or URN. */
export const ParticipationIndexSchema = z
  .object({
    page: z.coerce.number().int().min(1).catch(1).default(1),
    search: z.string().trim().max(200).catch('').default(''),
  })
  .loose();
export type ParticipationIndexInput = z.infer<typeof ParticipationIndexSchema>;
