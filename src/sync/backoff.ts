const BASE_MS = 30 * 60_000;
const CAP_MS = 24 * 3600_000;

/**
 * The wait before an (org, resource) sync may run again after consecutive failures (spec §8.2):
 * 30 min × 2^failures, at most 24 h — so 0, 1, 2, 3 failures give 30 min, 1 h, 2 h, 4 h.
 * @param failures consecutive failures so far.
 * @returns milliseconds.
 */
export function backoffMs(failures: number): number {
  return Math.min(BASE_MS * 2 ** Math.max(0, failures), CAP_MS);
}
