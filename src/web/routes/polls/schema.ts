import { z } from 'zod';
import { msg } from '../../../i18n/msg.js';
import { QUESTION_TYPES } from '../../../polls/rules.js';
import { checkbox, multi } from '../../forms.js';

export const PollSelectSchema = z.object({ polls: multi(z.coerce.number().int().positive()) });

const name = z
  .string()
  .trim()
  .max(128, msg('This is too long.'))
  .default('');

const order = z
  .string()
  .trim()
  .default('')
  .refine((v) => v === '' || (/^\d{1,3}$/.test(v) && Number(v) >= 1), msg('Enter a whole number from 1 to 999.'))
  .transform((v) => (v === '' ? null : Number(v)));

/** Each question's fields arrive as `questions[q<id>][field]`. */
export const PollEditSchema = z.object({
  name,
  questions: z
    .record(
      z.string().regex(/^q\d+$/),
      z.object({ name, type: z.enum(QUESTION_TYPES, { error: msg('Choose a type.') }), shown: checkbox, order }),
    )
    .default({}),
});
export type PollEditInput = z.infer<typeof PollEditSchema>;
