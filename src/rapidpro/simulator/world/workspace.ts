import { hash, Stream, uuidFor } from '../random.js';
import { US_PER_DAY, US_PER_HOUR, US_PER_MINUTE, US_PER_WEEK } from '../time.js';
import { COUNTRIES, type CountryProfile } from './catalog.js';
import { ContactStore } from './contactStore.js';
import { generateFields, generateGroups, generateLabels, type FieldRow, type GroupLayout, type LabelRow } from './directory.js';
import { generateFlows, type FlowSpec } from './flowCatalog.js';
import { generateGeography, type Geography } from './geography.js';
import { MessageStore } from './messageStore.js';
import { RunStore } from './runStore.js';
import type { BroadcastRow, StartRow } from './starts.js';

/** Response shape variants (spec §10.1). */
export type ShapeVariant = 'current' | 'legacy2019';

/** Everything that decides one workspace's content. */
export interface WorkspaceConfig {
  /** Short name used in control calls, e.g. "demo". */
  name: string;
  /** API token (40 characters of `[2-9A-HJ-NP-Z]` on real servers; any text is accepted here). */
  token: string;
  /** Position among the simulator's workspaces; part of the seed. */
  index: number;
  /** Simulator seed. */
  seed: number;
  contacts: number;
  weeks: number;
  anon: boolean;
  variant: ShapeVariant;
  definitionsFormat: 'goflow' | 'legacy';
  /** Runs older than this many days leave runs.json for archives. */
  retentionDays: number;
  /** Virtual delay before a deleted contact's runs and messages are purged. */
  deleteDelayUs: number;
  /** Whether the activity script runs while the clock advances. */
  activity: boolean;
  /** The one flow every weekly start uses, by name; null: the poll flows take turns. */
  weeklyFlow: string | null;
}

interface Scheduled {
  atUs: number;
  seq: number;
  run: (atUs: number) => void;
}

/**
 * One simulated RapidPro workspace: small tables as objects, large ones as typed-array stores,
 * runs and messages generated on first use.
 */
export class Workspace {
  readonly seed: number;
  readonly uuid: string;
  readonly country: CountryProfile;
  readonly dateStyle: 'day_first' | 'month_first' | 'year_first';
  readonly geography: Geography;
  readonly layout: GroupLayout;
  readonly fields: FieldRow[];
  readonly labels: LabelRow[];
  readonly contacts: ContactStore;
  readonly flows: FlowSpec[];
  readonly starts: StartRow[] = [];
  readonly broadcasts: BroadcastRow[] = [];
  readonly historyStartUs: number;
  groupCounts: Int32Array;
  processedUs: number;
  readonly archiveCache = new Map<string, { size: number; md5: string; records: number }>();
  private runStore: RunStore | null = null;
  private messageStore: MessageStore | null = null;
  private scheduled: Scheduled[] = [];
  private sequence = 0;

  /**
   * @param config the workspace's configuration.
   * @param nowUs the virtual instant at which the history ends.
   */
  constructor(
    readonly config: WorkspaceConfig,
    readonly generatedAtUs: number,
  ) {
    this.seed = hash(config.seed, Stream.workspace, config.index);
    this.uuid = uuidFor(this.seed, Stream.workspace, 0);
    this.country = COUNTRIES[hash(this.seed, Stream.workspace, 1) % COUNTRIES.length]!;
    this.dateStyle = (['day_first', 'month_first', 'year_first'] as const)[hash(this.seed, Stream.workspace, 2) % 3]!;
    this.historyStartUs = generatedAtUs - config.weeks * US_PER_WEEK;
    this.geography = generateGeography(this.seed, this.country);
    this.layout = generateGroups(this.seed, this.geography, this.historyStartUs);
    this.fields = generateFields(this.historyStartUs);
    this.labels = generateLabels(this.seed);
    this.flows = generateFlows(this.seed, this.historyStartUs, this.labels);
    this.contacts = new ContactStore(this.seed, this.country, this.geography, this.layout.cohortCount);
    this.contacts.generate(config.contacts, this.historyStartUs, generatedAtUs);
    this.generateStarts();
    this.groupCounts = new Int32Array(this.layout.groups.length);
    for (let i = 0; i < this.contacts.count; i++) for (const g of this.membership(i)) this.groupCounts[g]!++;
    this.processedUs = generatedAtUs;
  }

  private generateStarts(): void {
    const weekly = this.config.weeklyFlow;
    const polls = this.flows.map((flow, i) => (weekly ? flow.name === weekly : flow.poll) ? i : -1).filter((i) => i >= 0);
    if (!polls.length) throw new Error(`weeklyFlow: the simulator has no flow named "${weekly}"`);
    const keyword = this.flows.findIndex((flow) => flow.keyword);
    const panels = this.layout.panelCount;
    for (let w = 0; w < this.config.weeks; w++) {
      const weekStart = this.historyStartUs + w * US_PER_WEEK;
      const createdUs = weekStart + 8 * US_PER_HOUR + (hash(this.seed, Stream.start, w, 1) % (2 * US_PER_HOUR));
      const chosen = Array.from({ length: panels }, (_, p) => p).filter((p) => hash(this.seed, Stream.start, w, 10 + p) % 2 === 0);
      if (chosen.length === 0) chosen.push(w % panels);
      if (createdUs < this.generatedAtUs) {
        this.starts.push({ uuid: uuidFor(this.seed, Stream.start, this.starts.length), flowIndex: polls[w % polls.length]!, createdUs, week: w, keyword: false, panels: chosen, request: null, total: null });
      }
      if (keyword >= 0) {
        this.starts.push({ uuid: uuidFor(this.seed, Stream.start, this.starts.length), flowIndex: keyword, createdUs: weekStart, week: w, keyword: true, panels: [], request: null, total: null });
      }
    }
  }

  /** Runs, generated on first use. */
  get runs(): RunStore {
    if (!this.runStore) {
      const store = new RunStore(this.seed, this.flows, this.starts, this.contacts);
      store.generate(this.generatedAtUs);
      for (let s = 0; s < this.starts.length; s++) this.starts[s]!.total = 0;
      for (let r = 0; r < store.count; r++) this.starts[store.start[r]!]!.total!++;
      this.runStore = store;
      store.advanceTo(this.processedUs);
    }
    return this.runStore;
  }

  /** Messages, generated on first use from the runs and the contacts. */
  get messages(): MessageStore {
    if (!this.messageStore) {
      const store = new MessageStore(this.seed);
      store.generate(this.runs, this.contacts, this.generatedAtUs - this.config.retentionDays * US_PER_DAY, this.generatedAtUs);
      this.messageStore = store;
    }
    return this.messageStore;
  }

  /** Whether the messages store exists yet (writes add to it only then). */
  get hasMessages(): boolean {
    return this.messageStore !== null;
  }

  /**
   * The groups a contact belongs to now, as indexes into the group list.
   * @returns group indexes (panel, cohorts, smart group).
   */
  membership(i: number): number[] {
    const contacts = this.contacts;
    if (contacts.deleted[i]) return [];
    const result: number[] = [];
    if (contacts.panel[i]! < this.layout.panelCount) result.push(contacts.panel[i]!);
    const bits = contacts.cohorts[i]!;
    for (let c = 0; c < this.layout.cohortCount; c++) if (bits & (1 << c)) result.push(this.layout.panelCount + c);
    if (contacts.status[i] === 0) {
      const age = contacts.fields(i).age;
      if (age && Number(age) > 40) result.push(this.layout.smartIndex);
    }
    return result;
  }

  /**
   * Applies a change to a contact, keeping group counts and the sort order right.
   * @param i contact index.
   * @param atUs virtual time of the change (the new modified_on).
   * @param change the mutation.
   */
  changeContact(i: number, atUs: number, change: () => void): void {
    for (const g of this.membership(i)) this.groupCounts[g]!--;
    change();
    for (const g of this.membership(i)) this.groupCounts[g]!++;
    this.contacts.touch(i, atUs);
  }

  /** Queues a state change at a virtual instant. */
  schedule(atUs: number, run: (atUs: number) => void): void {
    this.scheduled.push({ atUs, seq: this.sequence++, run });
    this.scheduled.sort((a, b) => a.atUs - b.atUs || a.seq - b.seq);
  }

  /** Runs scheduled changes and run events up to an instant. */
  settle(untilUs: number): void {
    while (this.scheduled.length > 0 && this.scheduled[0]!.atUs <= untilUs) {
      const task = this.scheduled.shift()!;
      if (this.runStore) this.runStore.advanceTo(task.atUs);
      task.run(task.atUs);
    }
    if (this.runStore) this.runStore.advanceTo(untilUs);
  }

  /**
   * The first instant still served live: runs and messages before it are archived (day-aligned).
   * @returns microseconds.
   */
  liveCutoffUs(nowUs: number): number {
    return Math.floor((nowUs - this.config.retentionDays * US_PER_DAY) / US_PER_DAY) * US_PER_DAY;
  }

  /** The minute buckets of activity still to apply, bounded so a huge jump stays fast. */
  pendingMinutes(nowUs: number): [number, number] {
    const first = Math.floor(this.processedUs / US_PER_MINUTE);
    const last = Math.floor(nowUs / US_PER_MINUTE);
    return [Math.max(first, last - 20_000), last];
  }
}
