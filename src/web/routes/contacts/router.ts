import { Router, type Request, type Response } from 'express';
import { createContact, deleteContact, retryContactPush, updateContact } from '../../../commands/contactSaver.js';
import { paginate } from '../../../lib/pagination.js';
import { presentContact, presentFieldValues } from '../../../presenters/contact.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { access } from '../../access.js';
import { translateErrors } from '../../forms.js';
import { validate } from '../../middleware/validate.js';
import { exportCsv } from './export.js';
import { checkContactForm, contactValues, formOptions, submittedValues, type FormOptions } from './form.js';
import { CONTACT_INCLUDE, loadContact } from './load.js';
import { latestRunColumns } from './pollRunColumns.js';
import { contactListWhere, filterQuery, readFilters } from './query.js';
import * as contactResponses from './responses.js';
import { ContactResponsesSchema, ContactsIndexSchema, type ContactsIndexInput } from './schema.js';

// Other areas' contact pages (messages, inbox) read contacts with the same relations.
export { CONTACT_INCLUDE };

async function index(req: Request, res: Response) {
  const input = req.input as ContactsIndexInput;
  const { filters, filterable, groups } = await readFilters(req, input);
  const where = contactListWhere(req, filters);
  const scoped = orgDb(req.org!.id).contact;
  const total = await scoped.count({ where });
  const pager = paginate(input.page, total);
  const rows = await scoped.findMany({ where, include: CONTACT_INCLUDE, orderBy: [{ name: 'asc' }, { id: 'asc' }], skip: pager.skip, take: pager.take });
  const runColumns = await latestRunColumns(req, rows.map((c) => c.id));
  const tree = req.regions!.tree;
  const shallowest = Math.min(...tree.map((r) => r.depth));
  res.render('pages/contacts/index.njk', {
    contacts: rows.map((c) => ({ ...presentContact(c, req.language), runMarks: runColumns?.marks(c.id) ?? [] })),
    runColumns: runColumns?.runs ?? [],
    pager: { ...pager, total },
    filters,
    query: filterQuery(filters),
    regionOptions: tree.map((r) => ({ value: r.id, label: r.name, depth: Math.min(r.depth - shallowest, 6) })),
    groupOptions: groups,
    filterFields: filterable.map((f) => ({ key: f.key, name: `field.${f.key}`, label: f.label || f.key })),
  });
}

async function show(req: Request, res: Response) {
  const contact = await loadContact(req);
  const scoped = orgDb(req.org!.id);
  const [fields, creator] = await Promise.all([
    scoped.dataField.findMany({ where: { visible: true }, orderBy: [{ label: 'asc' }, { key: 'asc' }] }),
    contact.createdById ? scoped.user.findUnique({ where: { id: contact.createdById }, select: { name: true } }) : null,
  ]);
  res.render('pages/contacts/show.njk', {
    contact: presentContact(contact, req.language),
    fieldValues: presentFieldValues(contact, fields),
    createdBy: creator?.name ?? null,
  });
}

function renderForm(res: Response, options: FormOptions, extra: { contact: unknown; values: Record<string, unknown>; errors: Record<string, string> }, status = 200) {
  res.status(status).render('pages/contacts/form.njk', { ...options, ...extra });
}

async function newForm(req: Request, res: Response) {
  const options = await formOptions(req);
  const region = req.regions!.current?.id;
  renderForm(res, options, { contact: null, values: { scheme: 'tel', region: region ? String(region) : '', groups: [] }, errors: {} });
}

async function create(req: Request, res: Response) {
  const options = await formOptions(req);
  const { input, problems, warning } = await checkContactForm(req, options, null);
  if (!input) return renderForm(res, options, { contact: null, values: submittedValues(req.body), errors: translateErrors(problems, req.t) }, 400);
  await createContact(req.org!.id, req.user!.id, input);
  if (warning) req.flash('warning', req.t(warning));
  req.flash('success', req.t('Contact saved. It will be sent to RapidPro in a moment.'));
  res.redirect(303, '/contacts');
}

async function edit(req: Request, res: Response) {
  const contact = await loadContact(req);
  const options = await formOptions(req);
  const view = presentContact(contact, req.language);
  const values = contactValues(view, (contact.fields ?? {}) as Record<string, string | null>, options, req.org!.timezone);
  renderForm(res, options, { contact: view, values, errors: {} });
}

async function update(req: Request, res: Response) {
  const contact = await loadContact(req);
  const options = await formOptions(req);
  const view = presentContact(contact, req.language);
  const { input, problems, warning } = await checkContactForm(req, options, { id: contact.id, uuid: contact.uuid });
  if (!input) return renderForm(res, options, { contact: view, values: submittedValues(req.body), errors: translateErrors(problems, req.t) }, 400);
  await updateContact(req.org!.id, req.user!.id, contact.id, input);
  if (warning) req.flash('warning', req.t(warning));
  req.flash('success', req.t('Contact saved. It will be sent to RapidPro in a moment.'));
  res.redirect(303, '/contacts');
}

async function destroy(req: Request, res: Response) {
  const contact = await loadContact(req);
  await deleteContact(req.org!.id, req.user!.id, contact.id);
  req.flash('success', req.t('Contact deleted.'));
  res.redirect(303, '/contacts');
}

async function push(req: Request, res: Response) {
  const contact = await loadContact(req);
  await retryContactPush(req.org!.id, contact.id);
  req.flash('info', req.t('The contact will be sent to RapidPro again in a moment.'));
  res.redirect(303, `/contacts/${contact.id}`);
}

/** Contact management by admins and supervisors (spec §17.9), limited to the user's regions. */
export const contactsRouter = Router()
  .get('/contacts', access.member('contacts:manage'), validate(ContactsIndexSchema, 'query'), index)
  .get('/contacts.csv', access.member('contacts:manage'), validate(ContactsIndexSchema, 'query'), exportCsv)
  .get('/contacts/new', access.member('contacts:manage'), newForm)
  .post('/contacts', access.member('contacts:manage'), create)
  .get('/contacts/:id', access.member('contacts:manage'), show)
  .get('/contacts/:id/responses', access.member('contacts:manage'), validate(ContactResponsesSchema, 'query'), contactResponses.index)
  .get('/contacts/:id/edit', access.member('contacts:manage'), edit)
  .post('/contacts/:id', access.member('contacts:manage'), update)
  .post('/contacts/:id/delete', access.member('contacts:manage'), destroy)
  .post('/contacts/:id/push', access.member('contacts:manage'), push);
