/**
 * Accepts a redirect target only when it stays on the same host (a path, not "//host" or a URL).
 * @param next the requested target.
 * @param fallback where to go otherwise.
 * @returns a safe path.
 */
export function safeNext(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}
