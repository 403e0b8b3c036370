import { once } from 'node:events';
import type { Request, Response } from 'express';
import { stringify } from 'csv-stringify';
import { fieldDisplayName, presentContact } from '../../../presenters/contact.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { contactListWhere, readFilters } from './query.js';
import type { ContactsIndexInput } from './schema.js';

/** Rows read from the database at a time while streaming an export. */
export const EXPORT_BATCH_SIZE = 1000;

/** Keeps a spreadsheet from running a cell as a formula (a leading =, +, - or @ that is not a number). */
function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) && !/^[+-]?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
}

/**
 * Streams the filtered contact list as CSV (name, URN, region, reporter groups, language, shown
 * fields), reading it in id-ordered batches so an export never holds the whole list.
 * @param req the request, with the list's query.
 * @param res the response.
 */
export async function exportCsv(req: Request, res: Response) {
  const { filters } = await readFilters(req, req.input as ContactsIndexInput);
  const where = contactListWhere(req, filters);
  const scoped = orgDb(req.org!.id);
  const fields = await scoped.dataField.findMany({ where: { visible: true }, orderBy: [{ label: 'asc' }, { key: 'asc' }] });
  const header = [req.t('Name'), req.t('URN'), req.t('Region'), req.t('Reporter groups'), req.t('Language'), ...fields.map(fieldDisplayName)];
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="contacts-${req.org!.subdomain}.csv"`);
  const csv = stringify({ bom: true });
  csv.pipe(res);
  const write = async (row: string[]) => {
    if (!csv.write(row.map(safeCell))) await once(csv, 'drain');
  };
  await write(header);
  let after = 0;
  for (;;) {
    const batch = await scoped.contact.findMany({
      where: { AND: [where, { id: { gt: after } }] },
      include: { region: { select: { id: true, name: true } }, reporterGroups: { include: { reporterGroup: { select: { id: true, name: true } } } } },
      orderBy: { id: 'asc' },
      take: EXPORT_BATCH_SIZE,
    });
    for (const contact of batch) {
      const view = presentContact(contact, req.language);
      const values = (contact.fields ?? {}) as Record<string, string | null>;
      await write([view.name, view.urn ?? '', view.regionName ?? '', view.groups.join(', '), view.language ?? '', ...fields.map((f) => values[f.key] ?? '')]);
    }
    if (batch.length < EXPORT_BATCH_SIZE) break;
    after = batch[batch.length - 1]!.id;
  }
  csv.end();
}
