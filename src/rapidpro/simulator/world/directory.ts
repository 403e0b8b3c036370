import { hash, Stream, uuidFor } from '../random.js';
import { COHORT_NAMES, LABEL_NAMES } from './catalog.js';
import type { Geography } from './geography.js';

/** A contact group (spec §5.2); `count` is computed live by the workspace. */
export interface GroupRow {
  uuid: string;
  name: string;
  query: string | null;
  system: boolean;
  kind: 'panel' | 'cohort' | 'smart' | 'system';
  createdUs: number;
}

/** A contact field (spec §5.3). */
export interface FieldRow {
  key: string;
  name: string;
  type: 'text' | 'number' | 'datetime' | 'state' | 'district';
  createdUs: number;
}

/** A message label. */
export interface LabelRow {
  uuid: string;
  name: string;
}

/** Groups are laid out as: panels (one per state), cohorts, one smart group, one system group. */
export interface GroupLayout {
  groups: GroupRow[];
  panelCount: number;
  cohortCount: number;
  smartIndex: number;
  systemIndex: number;
}

/**
 * Builds the group list of a workspace.
 * @param seed workspace seed.
 * @param geography the boundary tree (panels are named after states).
 * @param historyStartUs first instant of the generated history.
 */
export function generateGroups(seed: number, geography: Geography, historyStartUs: number): GroupLayout {
  const groups: GroupRow[] = [];
  const created = (n: number): number => historyStartUs - (n + 1) * 3_600_000_000 - (hash(seed, Stream.group, n, 2) % 1_000_000);
  for (const state of geography.states) {
    groups.push({ uuid: uuidFor(seed, Stream.group, groups.length), name: state.name, query: null, system: false, kind: 'panel', createdUs: created(groups.length) });
  }
  const cohortCount = 3 + (hash(seed, Stream.group, 0, 1) % 3);
  for (let c = 0; c < cohortCount; c++) {
    groups.push({ uuid: uuidFor(seed, Stream.group, groups.length), name: COHORT_NAMES[c]!, query: null, system: false, kind: 'cohort', createdUs: created(groups.length) });
  }
  const smartIndex = groups.length;
  groups.push({ uuid: uuidFor(seed, Stream.group, smartIndex), name: 'Older Than 40', query: 'age > 40', system: false, kind: 'smart', createdUs: created(smartIndex) });
  const systemIndex = groups.length;
  groups.push({ uuid: uuidFor(seed, Stream.group, systemIndex), name: 'Open Tickets', query: null, system: true, kind: 'system', createdUs: created(systemIndex) });
  return { groups, panelCount: geography.states.length, cohortCount, smartIndex, systemIndex };
}

/**
 * Builds the contact fields of a workspace (spec §10.2).
 * @param historyStartUs first instant of the generated history.
 */
export function generateFields(historyStartUs: number): FieldRow[] {
  const specs: [string, string, FieldRow['type']][] = [
    ['gender', 'Gender', 'text'],
    ['age', 'Age', 'number'],
    ['registration_date', 'Registration Date', 'datetime'],
    ['state', 'State', 'state'],
    ['district', 'District', 'district'],
    ['facility_code', 'Facility Code', 'text'],
  ];
  return specs.map(([key, name, type], i) => ({ key, name, type, createdUs: historyStartUs - (i + 1) * 60_000_000 }));
}

/**
 * Builds the message labels of a workspace.
 * @param seed workspace seed.
 */
export function generateLabels(seed: number): LabelRow[] {
  return LABEL_NAMES.map((name, i) => ({ uuid: uuidFor(seed, Stream.label, i), name }));
}
