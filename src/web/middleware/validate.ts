import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import { ValidationError } from '../../errors.js';

/**
 * Turns zod issues into field → message (first message per field).
 * @param error the zod error.
 * @returns the field map.
 */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || 'form';
    fields[key] ??= issue.message;
  }
  return fields;
}

/**
 * Parses body, query or params with a zod schema and hands the typed result to the handler as
 * req.input; on failure JSON routes get 400 "field: message". Pages that must re-render a form
 * use parseForm() inside the handler instead.
 *
 *   router.get('/users', access.member('users:manage'), validate(UsersIndexSchema, 'query'), index)
 * @param schema the endpoint's schema.
 * @param source which part of the request to parse.
 * @returns the middleware.
 */
export function validate(schema: z.ZodType, source: 'body' | 'query' | 'params' = 'body') {
  return (req: Request, _res: Response, next: NextFunction) => {
    const result = schema.safeParse(req[source]);
    if (!result.success) return next(new ValidationError(fieldErrors(result.error)));
    req.input = result.data;
    next();
  };
}

/**
 * Parses a submitted form; the caller re-renders with `errors` when it fails.
 * @param schema the form's schema.
 * @param body the submitted values.
 * @returns data, or errors keyed by field.
 */
export function parseForm<S extends z.ZodType>(
  schema: S,
  body: unknown,
): { data: z.infer<S>; errors: null } | { data: null; errors: Record<string, string> } {
  const result = schema.safeParse(body ?? {});
  return result.success ? { data: result.data, errors: null } : { data: null, errors: fieldErrors(result.error) };
}
