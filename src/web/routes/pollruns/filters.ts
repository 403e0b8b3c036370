import type { Request } from 'express';
import { filterQuery, parseContactFilters, type ContactFilters } from '../../../dashboard/filters.js';
import { fieldDisplayName } from '../../../presenters/contact.js';
import { orgDb } from '../../../tenancy/orgDb.js';

/** A poll-run page's filters, with what its filter form offers. */
export interface RunFilters {
  /** A reporter group and contact field texts (spec §20.2); an unknown group is dropped. */
  filters: ContactFilters;
  /** The visible data fields (one `contact_<key>` input each). */
  fields: { key: string; label: string }[];
  /** The active reporter groups, by name. */
  groups: { id: number; name: string }[];
  /** The query string that keeps the filters and the region context in links (tabs, CSV, pager). */
  query: string;
  /** What was wrong with the filters as given, by input name (untranslated). */
  errors: Record<string, string>;
}

/**
 * Reads the filters of a poll-run tab from the URL, as the summary does (src/dashboard/filters.ts):
 * `group` and `contact_<key>` for the visible data fields; `region`/`sub` are the region context's.
 * @param req the request (org and region context loaded).
 * @returns the filters, the form's options and the query string to carry.
 */
export async function readRunFilters(req: Request): Promise<RunFilters> {
  const scoped = orgDb(req.org!.id);
  const [fields, groups] = await Promise.all([
    scoped.dataField.findMany({ where: { visible: true }, orderBy: [{ label: 'asc' }, { key: 'asc' }], select: { key: true, label: true } }),
    scoped.reporterGroup.findMany({ where: { isActive: true }, orderBy: { name: 'asc' }, select: { id: true, name: true } }),
  ]);
  const { filters, errors } = parseContactFilters(req.query as Record<string, unknown>, { fieldKeys: fields.map((f) => f.key), groupIds: groups.map((g) => g.id) });
  const kept: ContactFilters = { group: errors.group ? null : filters.group, contact: filters.contact };
  return {
    filters: kept,
    fields: fields.map((f) => ({ key: f.key, label: fieldDisplayName(f) })),
    groups,
    query: filterQuery(kept, req.regions),
    errors,
  };
}
