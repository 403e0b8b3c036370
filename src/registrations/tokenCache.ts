/**
 * Source tokens resolved recently in this process, by hash, so intake does not read the token and
 * its source on every request. Entries live TOKEN_CACHE_MS: a token revoked (or a source
 * deactivated or changed) in this process is forgotten at once; another process keeps using its
 * copy for at most TOKEN_CACHE_MS.
 */
export const TOKEN_CACHE_MS = 5_000;
const MAX_ENTRIES = 10_000;

const entries = new Map<string, { value: unknown; until: number }>();

export const tokenCache = {
  /**
   * A resolved token, if cached and fresh.
   * @param hash the token's hash.
   * @returns the cached value or undefined.
   */
  get<T>(hash: string): T | undefined {
    const hit = entries.get(hash);
    if (!hit) return undefined;
    if (hit.until > Date.now()) return hit.value as T;
    entries.delete(hash);
    return undefined;
  },

  /**
   * Remembers a live token.
   * @param hash the token's hash.
   * @param value what resolving it found.
   */
  set(hash: string, value: unknown): void {
    if (entries.size >= MAX_ENTRIES) entries.clear();
    entries.set(hash, { value, until: Date.now() + TOKEN_CACHE_MS });
  },

  /** Forgets every token (after a revocation or a change to a source). */
  clear(): void {
    entries.clear();
  },
};
