import { OrderedIndex } from '../orderedIndex.js';
import { hash, indexOfUuid, Stream, unit, uuidFor } from '../random.js';
import { US_PER_DAY } from '../time.js';
import type { ContactStore } from './contactStore.js';
import type { RunStore } from './runStore.js';

/** What produced a message row; the rest of its content is derived from the referenced row. */
export const MessageKind = { inbox: 0, flowReply: 1, prompt: 2, outgoing: 3 } as const;

/** Text and broadcast of a message sent through the API (the only messages with free text). */
export interface SentText {
  text: string;
  broadcast: number | null;
}

/**
 * Every message of one workspace as typed arrays; texts are regenerated from the run or contact
 * they belong to. Messages dated after the virtual now exist but stay invisible until then.
 */
export class MessageStore {
  count = 0;
  kind = new Uint8Array(0);
  ref = new Int32Array(0);
  step = new Uint8Array(0);
  created = new Float64Array(0);
  flags = new Uint8Array(0);
  deleted = new Uint8Array(0);
  readonly texts = new Map<number, SentText>();
  readonly index = new OrderedIndex((row) => this.created[row]!);

  /** @param seed workspace seed. */
  constructor(readonly seed: number) {}

  /** The message's UUID. */
  uuid(m: number): string {
    return uuidFor(this.seed, Stream.message, m);
  }

  /** Finds a message by UUID. @returns the index or -1. */
  findByUuid(uuid: string): number {
    const m = indexOfUuid(this.seed, Stream.message, uuid.toLowerCase());
    return m >= 0 && m < this.count && !this.deleted[m] && this.uuid(m) === uuid.toLowerCase() ? m : -1;
  }

  private grow(capacity: number): void {
    if (capacity <= this.kind.length) return;
    const size = Math.max(capacity, Math.ceil(this.kind.length * 1.5), 1024);
    const resize = <T extends Int32Array | Uint8Array | Float64Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    this.kind = resize(this.kind, new Uint8Array(size));
    this.ref = resize(this.ref, new Int32Array(size));
    this.step = resize(this.step, new Uint8Array(size));
    this.created = resize(this.created, new Float64Array(size));
    this.flags = resize(this.flags, new Uint8Array(size));
    this.deleted = resize(this.deleted, new Uint8Array(size));
  }

  /**
   * Adds one message row.
   * @returns its index.
   */
  add(kind: number, ref: number, step: number, createdUs: number, flags = 0): number {
    const m = this.count++;
    this.grow(this.count);
    this.kind[m] = kind;
    this.ref[m] = ref;
    this.step[m] = step;
    this.created[m] = createdUs;
    this.flags[m] = flags;
    return m;
  }

  /** Adds the prompt and reply messages of one run (future ones stay hidden until their time). */
  addRunMessages(runs: RunStore, r: number, fromUs: number): void {
    const timeline = runs.timeline(r);
    timeline.steps.forEach((step, j) => {
      if (step.promptUs >= fromUs) this.add(MessageKind.prompt, r, j, step.promptUs);
      if (step.answer && !step.answer.timedOut && step.answer.atUs >= fromUs) this.add(MessageKind.flowReply, r, j, step.answer.atUs);
    });
  }

  /** Flags of an unsolicited message: bit 0 archived, bits 1-3 label membership. */
  static inboxFlags(seed: number, m: number): number {
    const h = hash(seed, Stream.message, m, 7);
    return (h % 10 === 0 ? 1 : 0) | (h % 5 === 1 ? 2 : 0) | (h % 7 === 2 ? 4 : 0);
  }

  /**
   * Generates the live-window messages: run prompts and replies, and a few inbox messages per contact.
   * @param runs the run store.
   * @param contacts the contact store.
   * @param fromUs start of the live window (older messages are archived on real servers).
   * @param nowUs virtual now at generation.
   */
  generate(runs: RunStore, contacts: ContactStore, fromUs: number, nowUs: number): void {
    for (let r = 0; r < runs.count; r++) {
      if (!runs.deleted[r] && runs.createdOf(r) + 7 * US_PER_DAY >= fromUs) this.addRunMessages(runs, r, fromUs);
    }
    for (let i = 0; i < contacts.count; i++) {
      if (contacts.deleted[i]) continue;
      const count = hash(this.seed, Stream.message, i, 1) % 4;
      // Spread over the contact's life within the live window (a 32-bit hash modulo a span in
      // microseconds would bunch them into its first 72 minutes).
      const from = Math.max(fromUs, contacts.created[i]!);
      for (let k = 0; k < count; k++) {
        const created = from + Math.floor(unit(this.seed, Stream.message, i, 10 + k) * (nowUs - from));
        const m = this.add(MessageKind.inbox, i, hash(this.seed, Stream.message, i, 20 + k) % 8, created);
        this.flags[m] = MessageStore.inboxFlags(this.seed, m);
      }
    }
    this.index.build(this.count);
  }

  /** Hard-deletes every message of a contact. */
  deleteOfContact(contact: number, runs: RunStore): void {
    for (let m = 0; m < this.count; m++) {
      const k = this.kind[m];
      const owner = k === MessageKind.inbox || k === MessageKind.outgoing ? this.ref[m] : runs.contact[this.ref[m]!];
      if (owner === contact) this.deleted[m] = 1;
    }
  }
}
