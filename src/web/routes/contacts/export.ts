import type { Request, Response } from 'express';
import { pipeCsv, spreadsheetSafe } from '../../../exports/csvStream.js';
import { fieldDisplayName, presentContact } from '../../../presenters/contact.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { contactListWhere, readFilters } from './query.js';
import type { ContactsIndexInput } from './schema.js';

/** Rows read from the database at a time while streaming an export. */
export const EXPORT_BATCH_SIZE = 1000;

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
  const batches = async function* () {
    let after = 0;
    for (;;) {
      const batch = await scoped.contact.findMany({
        where: { AND: [where, { id: { gt: after } }] },
        include: { region: { select: { id: true, name: true } }, reporterGroups: { include: { reporterGroup: { select: { id: true, name: true } } } } },
        orderBy: { id: 'asc' },
        take: EXPORT_BATCH_SIZE,
      });
      yield batch.map((contact) => {
        const view = presentContact(contact, req.language);
        const values = (contact.fields ?? {}) as Record<string, string | null>;
        return [view.name, view.urn ?? '', view.regionName ?? '', view.groups.join(', '), view.languageName ?? view.language ?? '', ...fields.map((f) => values[f.key] ?? '')].map(spreadsheetSafe);
      });
      if (batch.length < EXPORT_BATCH_SIZE) return;
      after = batch[batch.length - 1]!.id;
    }
  };
  // The same CSV shape as every other export: quoted cells, CRLF line ends, a byte-order mark.
  await pipeCsv({ header, batches: batches() }, res);
}
