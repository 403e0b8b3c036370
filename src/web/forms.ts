import { z } from 'zod';
import { NotFoundError } from '../errors.js';
import { msg } from '../i18n/msg.js';

/** A checkbox: present ("on", "true", "1") means true, absent means false. */
export const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === '1' || v === true, z.boolean());

/** A trimmed required text field with a length limit; messages are t() keys. */
export const requiredText = (max: number) =>
  z.string({ error: msg('This field is required.') }).trim().min(1, msg('This field is required.')).max(max, msg('This is too long.'));

/** An e-mail address, trimmed and lower-cased. */
export const emailField = z
  .string({ error: msg('This field is required.') })
  .trim()
  .toLowerCase()
  .min(1, msg('This field is required.'))
  .pipe(z.email(msg('Enter a valid e-mail address.')));

/** A multi-select: one value arrives as a string, several as an array. */
export const multi = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(item));

/** A numeric route parameter. */
export const IdParamsSchema = z.object({ id: z.coerce.number().int().positive() });

/**
 * Translates the message of every field error.
 * @param errors field → message key.
 * @param t the translator.
 * @returns field → translated message.
 */
export function translateErrors(errors: Record<string, string>, t: (key: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, t(v)]));
}

/**
 * Reads the numeric :id of a route; anything else is a 404, never a 500.
 * @param params req.params.
 * @returns the id.
 */
export function idParam(params: unknown): number {
  const parsed = IdParamsSchema.safeParse(params);
  if (!parsed.success) throw new NotFoundError();
  return parsed.data.id;
}
