import type { RegistrationConfig } from '../config.js';

export type Aggregation = 'sum' | 'last';

/** A metric name taken apart (spec §8.2–8.4). */
export interface MetricDescriptor {
  name: string;
  aggregation: Aggregation;
  /** e.g. "registrations.language", "optout.reason", "registrations.change.language". */
  family: string;
  /** The dimension value (language code, source slug…), or null. */
  dimension: string | null;
}

/** The change actions that have metrics (spec §8.3), by metric segment. */
export const CHANGE_METRICS: Record<string, string> = {
  language: 'change_language',
  pregnant_to_baby: 'change_baby',
  pregnant_to_loss: 'change_loss',
  messaging: 'change_messaging',
};

const REG_DIMENSIONS = ['msg_type', 'receiver_type', 'language', 'state', 'role'] as const;
const OPTOUT_DIMENSIONS = ['receiver_type', 'reason', 'msg_type', 'source'] as const;
const DIM = '([a-z0-9_-]+|[A-Za-z0-9_-]+)';

/**
 * Parses a metric name, resolving the read aliases of spec §8.1 (`….last` → `….total.last`).
 * @param raw the name.
 * @returns the descriptor, or null for a name outside the scheme.
 */
export function parseMetricName(raw: string): MetricDescriptor | null {
  const name = raw.endsWith('.last') && !raw.endsWith('.total.last') ? `${raw.slice(0, -'.last'.length)}.total.last` : raw;
  const agg = (suffix: string): Aggregation => (suffix === 'sum' ? 'sum' : 'last');
  let m = /^registrations\.created\.(sum|total\.last)$/.exec(name);
  if (m) return { name, aggregation: agg(m[1]!), family: 'registrations.created', dimension: null };
  if (name === 'registrations.unique_operators.sum') return { name, aggregation: 'sum', family: 'registrations.unique_operators', dimension: null };
  m = new RegExp(`^registrations\\.source\\.${DIM}\\.sum$`).exec(name);
  if (m) return { name, aggregation: 'sum', family: 'registrations.source', dimension: m[1]! };
  m = /^registrations\.change\.([a-z_]+)\.(sum|total\.last)$/.exec(name);
  if (m && CHANGE_METRICS[m[1]!]) return { name, aggregation: agg(m[2]!), family: `registrations.change.${m[1]}`, dimension: null };
  m = new RegExp(`^registrations\\.(${REG_DIMENSIONS.join('|')})\\.${DIM}\\.(sum|total\\.last)$`).exec(name);
  if (m) return { name, aggregation: agg(m[3]!), family: `registrations.${m[1]}`, dimension: m[2]! };
  m = new RegExp(`^optout\\.(${OPTOUT_DIMENSIONS.join('|')})\\.${DIM}\\.(sum|total\\.last)$`).exec(name);
  if (m) return { name, aggregation: agg(m[3]!), family: `optout.${m[1]}`, dimension: m[2]! };
  return null;
}

/** A catalogue entry (spec §4.4 /metrics/catalogue). */
export interface CatalogueEntry {
  name: string;
  aggregation: Aggregation;
  family: string;
  label: string;
  dimension: string | null;
}

function both(family: string, dimension: string | null, label: string): CatalogueEntry[] {
  const base = dimension === null ? family : `${family}.${dimension}`;
  return [
    { name: `${base}.sum`, aggregation: 'sum', family, dimension, label },
    { name: `${base}.total.last`, aggregation: 'last', family, dimension, label: `${label} (total)` },
  ];
}

/**
 * Every metric defined for an org: generated from its configuration lists and its sources.
 * @param config the org's configuration.
 * @param sourceSlugs the slugs of the org's sources.
 * @returns the catalogue, in display order.
 */
export function buildCatalogue(config: RegistrationConfig, sourceSlugs: string[]): CatalogueEntry[] {
  const entries: CatalogueEntry[] = [
    ...both('registrations.created', null, 'Registrations'),
    { name: 'registrations.unique_operators.sum', aggregation: 'sum', family: 'registrations.unique_operators', dimension: null, label: 'New operators' },
    ...sourceSlugs.map((slug): CatalogueEntry => ({ name: `registrations.source.${slug}.sum`, aggregation: 'sum', family: 'registrations.source', dimension: slug, label: `Source ${slug}` })),
  ];
  const lists: [string, string[]][] = [
    ['msg_type', config.msgTypes], ['receiver_type', config.receiverTypes], ['language', config.languages], ['state', config.states], ['role', config.roles],
  ];
  for (const [dim, values] of lists) for (const v of values) entries.push(...both(`registrations.${dim}`, v, `${dim} ${v}`));
  for (const change of Object.keys(CHANGE_METRICS)) entries.push(...both(`registrations.change.${change}`, null, `Change: ${change}`));
  const optoutLists: [string, string[]][] = [
    ['receiver_type', config.receiverTypes], ['reason', config.optoutReasons], ['msg_type', config.msgTypes], ['source', config.optoutSources],
  ];
  for (const [dim, values] of optoutLists) for (const v of values) entries.push(...both(`optout.${dim}`, v, `Opt-out ${dim} ${v}`));
  return entries;
}

/**
 * Normalises an operator's state or role (spec §8.2): trim, lower-case, runs of non-word characters → "_".
 * @param value the raw detail.
 * @returns the normalised value, or null when not a non-empty string.
 */
export function normaliseDetail(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const normalised = value.trim().toLowerCase().replace(/\W+/g, '_');
  return normalised || null;
}
