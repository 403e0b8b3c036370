import { OrderedIndex } from '../orderedIndex.js';
import { hash, indexOfUuid, Stream, uuidFor } from '../random.js';
import { US_PER_DAY, US_PER_MINUTE } from '../time.js';
import type { ContactStore } from './contactStore.js';
import type { FlowSpec } from './flowCatalog.js';
import { lastEventAt, nextEventAfter, runTimeline, type Timeline } from './runTimeline.js';
import type { StartRow } from './starts.js';

/** A min-heap of (time, run) for runs that still have events in the virtual future. */
class EventHeap {
  private times: number[] = [];
  private rows: number[] = [];

  get size(): number {
    return this.times.length;
  }

  push(time: number, row: number): void {
    this.times.push(time);
    this.rows.push(row);
    let i = this.times.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.times[parent]! <= time) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  peekTime(): number {
    return this.times[0] ?? Number.POSITIVE_INFINITY;
  }

  pop(): number {
    const row = this.rows[0]!;
    const lastTime = this.times.pop()!;
    const lastRow = this.rows.pop()!;
    if (this.times.length > 0) {
      this.times[0] = lastTime;
      this.rows[0] = lastRow;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.times.length && this.times[l]! < this.times[m]!) m = l;
        if (r < this.times.length && this.times[r]! < this.times[m]!) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return row;
  }

  /** Rows currently waiting (for exclude_active). */
  waitingRows(): number[] {
    return this.rows;
  }

  private swap(a: number, b: number): void {
    [this.times[a], this.times[b]] = [this.times[b]!, this.times[a]!];
    [this.rows[a], this.rows[b]] = [this.rows[b]!, this.rows[a]!];
  }
}

/**
 * Every run of one workspace as typed arrays (contact, start, panel, modified_on, deleted); values,
 * paths and exits are recomputed from the seed by {@link runTimeline}.
 */
export class RunStore {
  count = 0;
  contact = new Int32Array(0);
  start = new Uint32Array(0);
  panel = new Uint8Array(0);
  modified = new Float64Array(0);
  deleted = new Uint8Array(0);
  readonly index = new OrderedIndex((row) => this.modified[row]!);
  readonly pending = new EventHeap();

  /**
   * @param seed workspace seed.
   * @param flows the workspace's flows.
   * @param starts the start table (shared with the workspace, grows with API starts).
   * @param contacts the contact store.
   */
  constructor(
    readonly seed: number,
    readonly flows: FlowSpec[],
    readonly starts: StartRow[],
    readonly contacts: ContactStore,
  ) {}

  /** When a run was created. */
  createdOf(r: number): number {
    return this.createdFor(r, this.start[r]!);
  }

  private createdFor(r: number, startIndex: number): number {
    const start = this.starts[startIndex]!;
    const h = hash(this.seed, Stream.run, r, 2000);
    if (start.keyword) return start.createdUs + (h % (6 * US_PER_DAY));
    if (start.request) return start.createdUs + 2_000_000 + (h % 1000) * 1000;
    return start.createdUs + (h % (30 * US_PER_MINUTE));
  }

  /** The run's full timeline. */
  timeline(r: number): Timeline {
    const start = this.starts[this.start[r]!]!;
    return runTimeline({ seed: this.seed, run: r, panel: this.panel[r]!, week: start.week, createdUs: this.createdOf(r), flow: this.flows[start.flowIndex]! });
  }

  /** The run's UUID. */
  uuid(r: number): string {
    return uuidFor(this.seed, Stream.run, r);
  }

  /** Finds a live run by UUID. @returns the index or -1. */
  findByUuid(uuid: string): number {
    const r = indexOfUuid(this.seed, Stream.run, uuid.toLowerCase());
    return r >= 0 && r < this.count && !this.deleted[r] && this.uuid(r) === uuid.toLowerCase() ? r : -1;
  }

  private grow(capacity: number): void {
    if (capacity <= this.contact.length) return;
    const size = Math.max(capacity, Math.ceil(this.contact.length * 1.5), 1024);
    const resize = <T extends Int32Array | Uint32Array | Uint8Array | Float64Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    this.contact = resize(this.contact, new Int32Array(size));
    this.start = resize(this.start, new Uint32Array(size));
    this.panel = resize(this.panel, new Uint8Array(size));
    this.modified = resize(this.modified, new Float64Array(size));
    this.deleted = resize(this.deleted, new Uint8Array(size));
  }

  private append(contact: number, start: number, nowUs: number): number {
    const r = this.count++;
    this.grow(this.count);
    this.contact[r] = contact;
    this.start[r] = start;
    this.panel[r] = this.contacts.panel[contact]!;
    const timeline = this.timeline(r);
    this.modified[r] = lastEventAt(timeline, this.createdOf(r), nowUs);
    const next = nextEventAfter(timeline, nowUs);
    if (next !== null) this.pending.push(next, r);
    return r;
  }

  /**
   * Generates the runs of every start in the table (weekly polls and keyword runs).
   * @param nowUs the virtual instant of generation.
   */
  generate(nowUs: number): void {
    const contacts = this.contacts;
    for (let s = 0; s < this.starts.length; s++) {
      const start = this.starts[s]!;
      const panels = new Set(start.panels);
      for (let i = 0; i < contacts.count; i++) {
        if (contacts.deleted[i] || contacts.status[i] !== 0 || contacts.created[i]! >= start.createdUs) continue;
        if (start.keyword ? hash(this.seed, Stream.run, i, 3000 + s) % 100 >= 2 : !panels.has(contacts.panel[i]!)) continue;
        if (this.createdFor(this.count, s) > nowUs) continue;
        this.append(i, s, nowUs);
      }
    }
    this.index.build(this.count);
  }

  /**
   * Creates one run for a contact in an API start (the new row goes to the index overlay).
   * @returns the run index.
   */
  addRun(contact: number, start: number, nowUs: number): number {
    const r = this.append(contact, start, nowUs);
    this.index.touch(r);
    return r;
  }

  /**
   * Applies every run event (replies, expiries) up to a virtual instant, moving rows as they change.
   * @returns the runs that changed.
   */
  advanceTo(nowUs: number): void {
    while (this.pending.size > 0 && this.pending.peekTime() <= nowUs) {
      const r = this.pending.pop();
      if (this.deleted[r]) continue;
      const timeline = this.timeline(r);
      this.modified[r] = lastEventAt(timeline, this.createdOf(r), nowUs);
      this.index.touch(r);
      const next = nextEventAfter(timeline, nowUs);
      if (next !== null) this.pending.push(next, r);
    }
  }

  /** Whether a run is still waiting at the given instant. */
  isWaiting(r: number, nowUs: number): boolean {
    return this.timeline(r).exitUs > nowUs;
  }

  /** Hard-deletes (no tombstone) every run of a contact. */
  deleteOfContact(contact: number): void {
    for (let r = 0; r < this.count; r++) if (this.contact[r] === contact) this.deleted[r] = 1;
  }
}
