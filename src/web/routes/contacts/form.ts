import type { Request } from 'express';
import type { ContactInput } from '../../../commands/contactSaver.js';
import { parseFieldInput, fieldFormValue, fieldInputKind } from '../../../contacts/fieldValues.js';
import { languageOptions } from '../../../contacts/languages.js';
import { checkUrn } from '../../../contacts/urn.js';
import { checkUrnAvailable, type UrnOwner } from '../../../contacts/urnAvailability.js';
import { msg } from '../../../i18n/msg.js';
import { fieldDisplayName, type ContactView } from '../../../presenters/contact.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { parseForm } from '../../middleware/validate.js';
import { ContactFormSchema } from './schema.js';

const INVALID_CHOICE = msg('Select a valid choice. That choice is not one of the available choices.');

/**
 * The choices of the contact form: the user's regions as an indented tree, the active reporter
 * groups, the languages and one input per visible data field.
 * @param req the request.
 * @returns the options the form page needs.
 */
export async function formOptions(req: Request) {
  const scoped = orgDb(req.org!.id);
  const [groups, fields] = await Promise.all([
    scoped.reporterGroup.findMany({ where: { isActive: true }, orderBy: { name: 'asc' }, select: { id: true, name: true } }),
    scoped.dataField.findMany({ where: { visible: true }, orderBy: [{ label: 'asc' }, { key: 'asc' }] }),
  ]);
  const tree = req.regions?.tree ?? [];
  const shallowest = Math.min(...tree.map((r) => r.depth));
  return {
    regionOptions: tree.map((r) => ({ value: String(r.id), label: r.name, depth: Math.min(r.depth - shallowest, 6) })),
    groupOptions: groups.map((g) => ({ value: String(g.id), label: g.name })),
    languageOptions: languageOptions(req.language),
    schemeOptions: [
      { value: 'tel', label: req.t('Phone') },
      { value: 'twitter', label: req.t('Twitter handle') },
      { value: 'twitterid', label: req.t('Twitter ID') },
    ],
    fields: fields.map((f) => ({ key: f.key, valueType: f.valueType, name: `field.${f.key}`, label: fieldDisplayName(f), kind: fieldInputKind(f.valueType) })),
  };
}
export type FormOptions = Awaited<ReturnType<typeof formOptions>>;

/**
 * The form's initial values for an existing contact.
 * @param contact the presented contact.
 * @param stored its stored field values.
 * @param options the form options.
 * @param timeZone the org's zone.
 * @returns the values by input name.
 */
export function contactValues(contact: ContactView, stored: Record<string, string | null>, options: FormOptions, timeZone: string): Record<string, unknown> {
  return {
    name: contact.name,
    scheme: contact.scheme || 'tel',
    address: contact.urnPath,
    region: contact.regionId === null ? '' : String(contact.regionId),
    groups: contact.groupIds.map(String),
    language: contact.language ?? '',
    ...Object.fromEntries(options.fields.map((f) => [f.name, fieldFormValue(f.valueType, stored[f.key], timeZone)])),
  };
}

/**
 * Checks a submitted contact form: the schema, then the choices the user may make, the data
 * fields and, once all else is right, the URN's uniqueness here and in RapidPro.
 * @param req the request.
 * @param options the form options.
 * @param self the contact being edited, or null when creating.
 * @returns the input to save (or null) with field errors (message keys) and a non-blocking warning.
 */
export async function checkContactForm(req: Request, options: FormOptions, self: UrnOwner | null) {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const { data, errors } = parseForm(ContactFormSchema, body);
  const problems: Record<string, string> = { ...errors };
  // zod skips the URN check while another field is wrong; show its error in the same round.
  if (!data && !problems.address && !problems.scheme) {
    const urn = checkUrn(String(body.scheme ?? ''), String(body.address ?? ''));
    if (urn.error !== null) problems.address = urn.error;
  }
  const regionIds = new Set(options.regionOptions.map((r) => r.value));
  if (body.region && !problems.region && !regionIds.has(String(body.region))) problems.region = INVALID_CHOICE;
  const groupIds = new Set(options.groupOptions.map((g) => g.value));
  if (data && data.groups.some((id) => !groupIds.has(String(id)))) problems.groups = INVALID_CHOICE;
  const fields: Record<string, string | null> = {};
  for (const field of options.fields) {
    const parsed = parseFieldInput(field.valueType, body[field.name], req.org!.timezone);
    if (parsed.error !== null) problems[field.name] = parsed.error;
    else fields[field.key] = parsed.value;
  }
  let warning: string | null = null;
  if (data && Object.keys(problems).length === 0) {
    const availability = await checkUrnAvailable(req.org!, data.urn, self);
    if (availability.error) problems.address = availability.error;
    warning = availability.warning;
  }
  if (!data || Object.keys(problems).length) return { input: null, problems, warning };
  const input: ContactInput = { name: data.name, urn: data.urn, language: data.language, regionId: data.region, reporterGroupIds: [...new Set(data.groups)], fields };
  return { input, problems, warning };
}

/**
 * The submitted values, shaped for re-rendering the form.
 * @param body the request body.
 * @returns the values (groups always a list).
 */
export function submittedValues(body: unknown): Record<string, unknown> {
  const values = { ...((body ?? {}) as Record<string, unknown>) };
  values.groups = values.groups === undefined ? [] : [values.groups].flat().map(String);
  return values;
}
