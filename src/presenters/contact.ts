import { languageName } from '../contacts/languages.js';
import { splitUrn } from '../contacts/urn.js';
import type { Contact, DataField } from '../generated/prisma/client.js';
import { msg } from '../i18n/msg.js';

/** A contact with what list rows and the detail page show. */
export type ContactWithGroups = Contact & {
  region: { id: number; name: string } | null;
  reporterGroups: { reporterGroup: { id: number; name: string } }[];
};

/** A contact as pages show it. */
export interface ContactView {
  id: number;
  /** The name, or the URN path when the name is empty (spec §22.3). */
  displayName: string;
  name: string;
  urn: string | null;
  scheme: string;
  urnPath: string;
  /** Message key of the URN's label: Phone, Twitter handle or Twitter ID. */
  urnLabel: string;
  regionId: number | null;
  regionName: string | null;
  /** Reporter group names, sorted. */
  groups: string[];
  groupIds: number[];
  language: string | null;
  languageName: string | null;
  syncState: 'synced' | 'pending' | 'failed';
  syncError: string | null;
}

const URN_LABELS: Record<string, string> = { tel: msg('Phone'), twitter: msg('Twitter handle'), twitterid: msg('Twitter ID') };

/**
 * Presents a contact for list rows, the detail page and the export.
 * @param contact the contact with its region and reporter groups.
 * @param uiLanguage the reader's language, for the language name.
 * @returns the view model.
 */
export function presentContact(contact: ContactWithGroups, uiLanguage = 'en'): ContactView {
  const { scheme, path } = contact.urn ? splitUrn(contact.urn) : { scheme: '', path: '' };
  const groups = contact.reporterGroups.map((g) => g.reporterGroup).sort((a, b) => a.name.localeCompare(b.name, uiLanguage));
  return {
    id: contact.id,
    displayName: contact.name || path,
    name: contact.name,
    urn: contact.urn,
    scheme,
    urnPath: path,
    urnLabel: URN_LABELS[scheme] ?? msg('URN'),
    regionId: contact.regionId,
    regionName: contact.region?.name ?? null,
    groups: groups.map((g) => g.name),
    groupIds: groups.map((g) => g.id),
    language: contact.language,
    languageName: languageName(contact.language, uiLanguage),
    syncState: contact.syncState,
    syncError: contact.syncError,
  };
}

/** One data field on the detail page. */
export interface FieldValueView {
  label: string;
  /** The value; null when stored empty ("-") or unknown. */
  value: string | null;
  /** The contact has no value for the field at all ("Unknown"). */
  unknown: boolean;
}

/**
 * A data field's display name: its label (or key) in title case (spec §6.6).
 * @param field the field.
 * @returns the name.
 */
export function fieldDisplayName(field: Pick<DataField, 'key' | 'label'>): string {
  return (field.label || field.key).replace(/(^|\s)(\S)/g, (_m, space: string, first: string) => space + first.toUpperCase());
}

/**
 * The visible data fields of a contact.
 * @param contact the contact.
 * @param fields the visible data fields.
 * @returns label and value of each.
 */
export function presentFieldValues(contact: Pick<Contact, 'fields'>, fields: Pick<DataField, 'key' | 'label'>[]): FieldValueView[] {
  const values = (contact.fields ?? {}) as Record<string, string | null>;
  return fields.map((f) => ({ label: fieldDisplayName(f), value: values[f.key] ?? null, unknown: !(f.key in values) }));
}
