import type { Request } from 'express';
import type { Prisma } from '../../../generated/prisma/client.js';
import { contactRegionFilter } from '../../../regions/context.js';
import { withDescendants } from '../../../regions/tree.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import type { ContactsIndexInput } from './schema.js';

/** The list filters as the page shows them back. */
export interface ContactFilters {
  search: string;
  region: number | undefined;
  group: number | undefined;
  /** Filterable data field key → value. */
  fields: Record<string, string>;
}

/**
 * Reads the filters of the contact list and export; unknown regions, groups and fields are ignored.
 * @param req the request (its query holds `field.<key>` values).
 * @param input the parsed query.
 * @returns the filters and the filterable fields of the org.
 */
export async function readFilters(req: Request, input: ContactsIndexInput) {
  const scoped = orgDb(req.org!.id);
  const [filterable, groups] = await Promise.all([
    scoped.dataField.findMany({ where: { filterable: true }, orderBy: [{ label: 'asc' }, { key: 'asc' }] }),
    scoped.reporterGroup.findMany({ where: { isActive: true }, orderBy: { name: 'asc' }, select: { id: true, name: true } }),
  ]);
  const query = req.query as Record<string, unknown>;
  const fields: Record<string, string> = {};
  for (const field of filterable) {
    const value = query[`field.${field.key}`];
    if (typeof value === 'string' && value.trim()) fields[field.key] = value.trim().slice(0, 255);
  }
  const tree = req.regions?.tree ?? [];
  const filters: ContactFilters = {
    search: input.search,
    region: tree.some((r) => r.id === input.region) ? input.region : undefined,
    group: groups.some((g) => g.id === input.group) ? input.group : undefined,
    fields,
  };
  return { filters, filterable, groups };
}

/**
 * The rows a contact list or export shows (spec §5.4, §17.9): active contacts in the user's shown
 * regions, narrowed by the filters.
 * @param req the request (its region context).
 * @param filters the filters.
 * @returns a Prisma where clause.
 */
export function contactListWhere(req: Request, filters: ContactFilters): Prisma.ContactWhereInput {
  const and: Prisma.ContactWhereInput[] = [{ isActive: true }, contactRegionFilter(req.regions!, 'list')];
  if (filters.region !== undefined) and.push({ regionId: { in: [...withDescendants(req.regions!.tree, [filters.region])] } });
  if (filters.group !== undefined) and.push({ reporterGroups: { some: { reporterGroupId: filters.group } } });
  for (const term of filters.search.split(/\s+/).filter(Boolean)) {
    and.push({ OR: [{ name: { contains: term, mode: 'insensitive' } }, { urn: { contains: term, mode: 'insensitive' } }] });
  }
  for (const [key, value] of Object.entries(filters.fields)) and.push({ fields: { path: [key], equals: value } });
  return { AND: and };
}

/**
 * The query string of the filters, for pager and export links.
 * @param filters the filters.
 * @returns `search=…&region=…&` (ends with & when not empty).
 */
export function filterQuery(filters: ContactFilters): string {
  const params = new URLSearchParams();
  if (filters.search) params.set('search', filters.search);
  if (filters.region !== undefined) params.set('region', String(filters.region));
  if (filters.group !== undefined) params.set('group', String(filters.group));
  for (const [key, value] of Object.entries(filters.fields)) params.set(`field.${key}`, value);
  const text = params.toString();
  return text ? `${text}&` : '';
}
