import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { z } from 'zod';

/** An error whose message is the one line the CLI prints before exiting non-zero. */
export class CliError extends Error {}

/**
 * Parses flags strictly and validates them with zod; unknown flags, missing values and bad
 * values all become one CliError line.
 * @param argv the command's arguments.
 * @param options parseArgs option definitions.
 * @param schema the zod schema of the parsed values.
 * @returns the typed values.
 */
export function parseFlags<S extends z.ZodType>(argv: string[], options: ParseArgsConfig['options'], schema: S): z.infer<S> {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new CliError((error as Error).message.split('\n')[0]);
  }
  const result = schema.safeParse(values);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new CliError(`--${issue.path.join('.') || 'flags'}: ${issue.message}`);
  }
  return result.data;
}
