import { z } from 'zod';
import { isLanguage } from '../../../contacts/languages.js';
import { checkUrn, URN_SCHEMES } from '../../../contacts/urn.js';
import { msg } from '../../../i18n/msg.js';
import { multi, requiredText } from '../../forms.js';

const optionalId = z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().positive().optional()).catch(undefined);

/** The contact list and its CSV export: search, region, reporter group and `field.<key>` filters. */
export const ContactsIndexSchema = z
  .object({
    page: z.coerce.number().int().min(1).catch(1).default(1),
    search: z.string().trim().max(200).catch('').default(''),
    region: optionalId,
    group: optionalId,
  })
  .loose();
export type ContactsIndexInput = z.infer<typeof ContactsIndexSchema>;

/**
 * The contact form (spec §17.9.1). The checks that need the database or RapidPro (region access,
 * reporter groups, data fields, uniqueness) are made by the handler.
 */
export const ContactFormSchema = z
  .object({
    name: requiredText(128),
    scheme: z.enum(URN_SCHEMES, { error: msg('Choose Phone, Twitter handle or Twitter ID.') }),
    address: z.string({ error: msg('This field is required.') }),
    region: z.coerce.number({ error: msg('This field is required.') }).int().positive(msg('This field is required.')),
    groups: multi(z.coerce.number().int().positive()).refine((ids) => ids.length > 0, msg('Choose at least one reporter group.')),
    language: z.string({ error: msg('This field is required.') }).trim().min(1, msg('This field is required.')).refine(isLanguage, msg('Choose a language from the list.')),
  })
  .transform((form, ctx) => {
    const checked = checkUrn(form.scheme, form.address);
    if (checked.error !== null) {
      ctx.addIssue({ code: 'custom', message: checked.error, path: ['address'] });
      return z.NEVER;
    }
    return { ...form, urn: checked.urn };
  });
export type ContactFormInput = z.infer<typeof ContactFormSchema>;

/** A contact's responses (spec §17.9): the page. */
export const ContactResponsesSchema = z.object({ page: z.coerce.number().int().min(1).catch(1).default(1) }).loose();
export type ContactResponsesInput = z.infer<typeof ContactResponsesSchema>;
