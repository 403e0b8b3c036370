import { orgDb } from '../tenancy/orgDb.js';
import { loadConfig } from './config.js';
import { CHANGE_METRICS } from './metrics/names.js';
import { catalogueFor, currentValues } from './metrics/reads.js';
import { otherOptoutSources } from './optoutDimensions.js';
import { legacyInvalidFields } from './validation.js';

/** The dashboard's filters, already validated. */
export interface DashboardFilters {
  from: Date;
  to: Date;
  /** Source ids; empty means all. */
  sources: string[];
}

type Row = { label: string; count: number };

function where(orgId: number, f: DashboardFilters) {
  void orgId;
  return { createdAt: { gt: f.from, lte: f.to }, ...(f.sources.length ? { sourceId: { in: f.sources } } : {}) };
}

/** Registrations of the period per value of a column; values outside the org's list are only counted (spec §9.3). */
async function grouped(orgId: number, f: DashboardFilters, by: 'language' | 'operatorState' | 'operatorRole' | 'sourceId' | 'msgReceiver' | 'msgType', known: string[] | null): Promise<{ rows: Row[]; unrecognised: number }> {
  const groups = await orgDb(orgId).registration.groupBy({ by: [by], where: where(orgId, f), _count: { _all: true } });
  const rows = groups.map((g) => ({ label: (g[by] as string | null) ?? '', count: g._count._all }));
  const recognised = known ? rows.filter((r) => known.includes(r.label)) : rows;
  return { rows: recognised.sort((a, b) => b.count - a.count), unrecognised: rows.filter((r) => !recognised.includes(r)).reduce((n, r) => n + r.count, 0) };
}

/**
 * Everything the Registrations page shows for a period (spec §9): headline numbers with the
 * previous period, tables per source, message type, language, state, role and receiver, validation quality, and
 * the top operators.
 * @param orgId the org.
 * @param f the filters.
 * @returns the view model.
 */
export async function dashboardData(orgId: number, f: DashboardFilters) {
  const scoped = orgDb(orgId);
  const config = await loadConfig(orgId);
  const span = f.to.getTime() - f.from.getTime();
  const previous = { ...f, from: new Date(f.from.getTime() - span), to: f.from };
  const [inPeriod, inPrevious, valid] = await Promise.all([
    scoped.registration.count({ where: where(orgId, f) }),
    scoped.registration.count({ where: where(orgId, previous) }),
    scoped.registration.count({ where: { ...where(orgId, f), validationStatus: 'valid' } }),
  ]);
  const sources = await scoped.registrationSource.findMany({ orderBy: { name: 'asc' } });
  const bySource = (await grouped(orgId, f, 'sourceId', null)).rows.map((r) => ({ ...r, label: sources.find((s) => s.id === r.label)?.name ?? r.label }));
  const families = {
    msgType: await grouped(orgId, f, 'msgType', config.msgTypes),
    language: await grouped(orgId, f, 'language', config.languages),
    state: await grouped(orgId, f, 'operatorState', config.states),
    role: await grouped(orgId, f, 'operatorRole', config.roles),
    receiver: await grouped(orgId, f, 'msgReceiver', config.receiverTypes),
  };
  const invalid = await scoped.registration.findMany({ where: { ...where(orgId, f), validationStatus: 'invalid' }, select: { invalidReasons: true }, take: 10_000 });
  const reasons = new Map<string, number>();
  for (const r of invalid) for (const code of r.invalidReasons) reasons.set(code, (reasons.get(code) ?? 0) + 1);
  const operators = await scoped.registration.groupBy({
    by: ['operatorId', 'operatorState', 'operatorRole'], where: { ...where(orgId, f), operatorId: { not: null } }, _count: { _all: true }, orderBy: { _count: { operatorId: 'desc' } }, take: 10,
  });
  const optoutLists = { reason: config.optoutReasons, source: config.optoutSources, receiver_type: config.receiverTypes, msg_type: config.msgTypes };
  const changeNames = Object.keys(CHANGE_METRICS).map((kind) => `registrations.change.${kind}.total.last`);
  const optoutNames = Object.entries(optoutLists).flatMap(([family, values]) => values.map((v) => `optout.${family}.${v}.total.last`));
  const otherSourceNames = (await otherOptoutSources(orgId, config)).map((v) => `optout.source.${v}.total.last`);
  const totals = await currentValues(orgId, ['registrations.created.total.last', ...changeNames, ...optoutNames, ...otherSourceNames]);
  const sum = (prefix: string) => Object.entries(totals.values).filter(([k]) => k.startsWith(prefix)).reduce((n, [, v]) => n + v, 0);
  const lastReconcile = await scoped.metricJobRun.findFirst({ where: { kind: 'reconcile', status: 'done' }, orderBy: { finishedAt: 'desc' } });
  const jobs = await scoped.metricJobRun.findMany({ orderBy: { createdAt: 'desc' }, take: 5 });
  return {
    sources,
    headline: {
      total: totals.values['registrations.created.total.last'] ?? 0,
      inPeriod, inPrevious, change: inPrevious ? Math.round(((inPeriod - inPrevious) / inPrevious) * 100) : null,
      uniqueOperators: (await scoped.registration.groupBy({ by: ['operatorId'], where: { ...where(orgId, f), operatorId: { not: null } } })).length,
      changes: sum('registrations.change.'),
      optouts: sum('optout.reason.'),
    },
    tables: { source: bySource, ...Object.fromEntries(Object.entries(families).map(([family, g]) => [family, g.rows])) } as Record<'source' | keyof typeof families, Row[]>,
    quality: {
      valid, invalid: inPeriod - valid, reasons: [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([label, count]) => ({ label, count })),
      // Values outside the org's lists (or no value, or no operator snapshot) per family: shown here only.
      unrecognised: Object.fromEntries(Object.entries(families).map(([family, g]) => [family, g.unrecognised])) as Record<keyof typeof families, number>,
    },
    operators: operators.map((o) => ({ id: o.operatorId!, state: o.operatorState, role: o.operatorRole, count: o._count._all })),
    /** Live totals per change kind (spec §9.5) and per opt-out value of each family (§9.6). */
    changeTotals: Object.fromEntries(Object.keys(CHANGE_METRICS).map((kind) => [kind, totals.values[`registrations.change.${kind}.total.last`] ?? 0])),
    optoutTotals: Object.fromEntries(Object.entries(optoutLists).map(([family, values]) => [family, values.map((v) => ({ label: v, count: totals.values[`optout.${family}.${v}.total.last`] ?? 0 }))])),
    /** Opt-outs from short sources outside the org's list, together (null: none seen). */
    otherSourceOptouts: otherSourceNames.length ? otherSourceNames.reduce((n, name) => n + (totals.values[name] ?? 0), 0) : null,
    lastReconcile,
    jobs,
    catalogue: await catalogueFor(orgId),
  };
}

/** Export row cap: a bigger export must narrow its dates. */
export const EXPORT_MAX_ROWS = 100_000;

/**
 * Whether the registrations of a period are more than one export may hold (EXPORT_MAX_ROWS), so
 * that the page asks for shorter dates instead of sending a file cut short.
 * @param orgId the org.
 * @param f the filters.
 * @param max the cap.
 * @returns true when the export would be cut.
 */
export async function exportTooLarge(orgId: number, f: DashboardFilters, max = EXPORT_MAX_ROWS): Promise<boolean> {
  return (await orgDb(orgId).registration.count({ where: where(orgId, f), take: max + 1 })) > max;
}
export const EXPORT_COLUMNS = ['id', 'created_at', 'source', 'stage', 'mother_id', 'validated', 'reg_type', 'preg_week', 'baby_age', 'operator_id', 'language', 'msg_type', 'msg_receiver', 'operator_state', 'operator_role', 'invalid_fields'];

/**
 * One CSV cell, quoted when needed and defused against spreadsheet formulas.
 * @param value the value.
 * @returns the cell.
 */
export function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  // A leading =, +, - or @ would run as a formula in spreadsheets.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Streams the registrations of a period as CSV lines (decision 3: includes invalid_fields).
 * @param orgId the org.
 * @param f the filters.
 * @yields CSV lines, header first.
 */
export async function* registrationsCsv(orgId: number, f: DashboardFilters): AsyncGenerator<string> {
  const scoped = orgDb(orgId);
  const slugs = new Map((await scoped.registrationSource.findMany({ select: { id: true, slug: true } })).map((s) => [s.id, s.slug]));
  yield `${EXPORT_COLUMNS.join(',')}\n`;
  let cursor: { createdAt: Date; id: string } | null = null;
  for (let sent = 0; sent < EXPORT_MAX_ROWS; ) {
    const rows: Awaited<ReturnType<typeof scoped.registration.findMany>> = await scoped.registration.findMany({
      where: { ...where(orgId, f), ...(cursor ? { OR: [{ createdAt: { gt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { gt: cursor.id } }] } : {}) },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: 1000,
    });
    if (!rows.length) return;
    for (const r of rows) {
      const invalidFields = r.invalidReasons.length ? legacyInvalidFields(r.invalidReasons) : '';
      yield `${[r.id, r.createdAt.toISOString(), slugs.get(r.sourceId) ?? '', r.stage, r.motherId, r.validationStatus === 'valid', r.regType, r.pregWeek, r.babyAge,
        r.operatorId, r.language, r.msgType, r.msgReceiver, r.operatorState, r.operatorRole, Array.isArray(invalidFields) ? invalidFields.join('; ') : invalidFields].map(csvCell).join(',')}\n`;
    }
    sent += rows.length;
    cursor = rows.at(-1)!;
  }
}
