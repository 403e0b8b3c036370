/**
 * Deterministic, random-access randomness for the simulator: every choice is a pure function of
 * (seed, stream, index, field), so a row can be regenerated from its index instead of being stored.
 */

/** Streams keep the choices of different entity types independent of each other. */
export const Stream = {
  workspace: 1,
  contact: 2,
  run: 3,
  message: 4,
  group: 5,
  flow: 6,
  boundary: 7,
  start: 8,
  broadcast: 9,
  activity: 10,
  fault: 11,
  node: 12,
  label: 13,
} as const;

/**
 * Murmur3's 32-bit finaliser: a bijective avalanche mix.
 * @param x any 32-bit integer.
 * @returns the mixed unsigned value.
 */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * Hashes a seed and up to three non-negative integers (< 2^32) into one uint32.
 * @param seed the workspace or simulator seed.
 * @param a first coordinate, usually the stream.
 * @param b second coordinate, usually the row index.
 * @param c third coordinate, usually the field.
 * @returns a uniformly distributed uint32.
 */
export function hash(seed: number, a: number, b = 0, c = 0): number {
  let h = mix32(seed ^ 0x3c6ef372);
  h = mix32((h ^ a) + 0x9e3779b9);
  h = mix32((h ^ b) + 0x7f4a7c15);
  h = mix32((h ^ c) + 0x165667b1);
  return h;
}

/**
 * Like {@link hash} but scaled to [0, 1).
 * @returns a float in [0, 1).
 */
export function unit(seed: number, a: number, b = 0, c = 0): number {
  return hash(seed, a, b, c) / 4294967296;
}

/**
 * Picks one element of a non-empty list from a uint32.
 * @returns the chosen element.
 */
export function pick<T>(list: readonly T[], h: number): T {
  return list[h % list.length] as T;
}

/**
 * A small sequential PRNG (mulberry32) for the few places where a stream of choices is natural.
 * @param seed the starting state.
 * @returns a function returning floats in [0, 1).
 */
export function sequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function feistelRound(seed: number, stream: number, round: number, half: number): number {
  return hash(seed, stream, half, 900 + round) & 0xffff;
}

/**
 * A keyed bijection on 32 bits, so an index can hide in a UUID and still be recovered.
 * @returns the permuted uint32.
 */
export function permute32(seed: number, stream: number, value: number): number {
  let left = (value >>> 16) & 0xffff;
  let right = value & 0xffff;
  for (let round = 0; round < 4; round++) {
    const next = left ^ feistelRound(seed, stream, round, right);
    left = right;
    right = next;
  }
  return ((left << 16) | right) >>> 0;
}

/**
 * Inverse of {@link permute32}.
 * @returns the original uint32.
 */
export function unpermute32(seed: number, stream: number, value: number): number {
  let left = (value >>> 16) & 0xffff;
  let right = value & 0xffff;
  for (let round = 3; round >= 0; round--) {
    const previous = right ^ feistelRound(seed, stream, round, left);
    right = left;
    left = previous;
  }
  return ((left << 16) | right) >>> 0;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex32(x: number): string {
  return HEX[(x >>> 24) & 255]! + HEX[(x >>> 16) & 255]! + HEX[(x >>> 8) & 255]! + HEX[x & 255]!;
}

/**
 * A v4-layout UUID made of PRNG bytes whose last 32 bits encode the row index reversibly.
 * @param seed workspace seed.
 * @param stream entity stream (see {@link Stream}).
 * @param index row index.
 * @returns the UUID string.
 */
export function uuidFor(seed: number, stream: number, index: number): string {
  const a = hash(seed, stream, index, 101);
  const b = hash(seed, stream, index, 102);
  const c = hash(seed, stream, index, 103);
  const tail = permute32(seed, stream, index);
  const bHex = hex32(b);
  const cHex = hex32(((c & 0x3fffffff) | 0x80000000) >>> 0);
  return `${hex32(a)}-${bHex.slice(0, 4)}-4${bHex.slice(5, 8)}-${cHex.slice(0, 4)}-${cHex.slice(4, 8)}${hex32(tail)}`;
}

/**
 * Recovers the row index from a UUID made by {@link uuidFor}; callers must re-check equality.
 * @returns the candidate index, or -1 when the text is not a UUID.
 */
export function indexOfUuid(seed: number, stream: number, uuid: string): number {
  if (uuid.length !== 36) return -1;
  const tail = Number.parseInt(uuid.slice(28), 16);
  if (!Number.isFinite(tail)) return -1;
  return unpermute32(seed, stream, tail);
}
