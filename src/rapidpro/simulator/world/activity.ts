import { hash, Stream } from '../random.js';
import { US_PER_MINUTE } from '../time.js';

/** One scripted change made while the virtual clock runs (spec §10.5). */
export type ActivityEvent =
  | { kind: 'inbox'; atUs: number; contact: number; variant: number }
  | { kind: 'edit'; atUs: number; contact: number; value: number }
  | { kind: 'move'; atUs: number; contact: number; value: number }
  | { kind: 'block'; atUs: number; contact: number }
  | { kind: 'delete'; atUs: number; contact: number };

function countFor(seed: number, bucket: number, field: number, perMinute: number): number {
  const whole = Math.floor(perMinute);
  const fraction = perMinute - whole;
  return Math.min(50, whole + (hash(seed, Stream.activity, bucket, field) / 4294967296 < fraction ? 1 : 0));
}

/**
 * The scripted events of one virtual minute, a pure function of the seed and the minute number.
 * @param seed workspace seed.
 * @param bucket minutes since the epoch.
 * @param contacts number of contacts to pick from.
 * @returns events in time order.
 */
export function activityOfMinute(seed: number, bucket: number, contacts: number): ActivityEvent[] {
  if (contacts === 0) return [];
  const events: ActivityEvent[] = [];
  const at = (k: number): number => bucket * US_PER_MINUTE + (hash(seed, Stream.activity, bucket, 100 + k) % US_PER_MINUTE);
  const who = (k: number): number => hash(seed, Stream.activity, bucket, 200 + k) % contacts;
  // About 3 unsolicited messages per contact per month, and one contact change per 2,000 contacts per hour.
  const inbox = countFor(seed, bucket, 1, (contacts * 3) / (30 * 24 * 60));
  for (let k = 0; k < inbox; k++) events.push({ kind: 'inbox', atUs: at(k), contact: who(k), variant: hash(seed, Stream.activity, bucket, 300 + k) % 8 });
  const changes = countFor(seed, bucket, 2, contacts / 2000 / 60);
  for (let k = 0; k < changes; k++) {
    const n = 50 + k;
    const roll = hash(seed, Stream.activity, bucket, 400 + k) % 100;
    const value = hash(seed, Stream.activity, bucket, 500 + k);
    if (roll < 70) events.push({ kind: 'edit', atUs: at(n), contact: who(n), value });
    else if (roll < 85) events.push({ kind: 'move', atUs: at(n), contact: who(n), value });
    else if (roll < 95) events.push({ kind: 'block', atUs: at(n), contact: who(n) });
    else events.push({ kind: 'delete', atUs: at(n), contact: who(n) });
  }
  return events.sort((a, b) => a.atUs - b.atUs);
}
