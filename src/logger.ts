import { pino, type Logger } from 'pino';

/**
 * Creates the process logger. JSON lines in production; level from LOG_LEVEL (default info,
 * "silent" in tests unless LOG_LEVEL says otherwise).
 * @param bindings fields added to every line (for example the process role).
 * @returns a pino logger.
 */
export function createLogger(bindings: Record<string, unknown> = {}): Logger {
  const level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info');
  return pino({ level, base: { pid: process.pid, ...bindings } });
}

export const logger = createLogger();
export type { Logger };
