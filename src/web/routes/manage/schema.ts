import { z } from 'zod';
import { isTimeZone } from '../../../lib/dates.js';
import { checkbox, emailField, multi, requiredText } from '../../forms.js';
import { SUPPORTED_LANGUAGES } from '../../../i18n/index.js';
import { msg } from '../../../i18n/msg.js';

const language = z.enum(SUPPORTED_LANGUAGES, { error: msg('Choose a language.') });
export const SUBDOMAIN_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const RESERVED_SUBDOMAINS = new Set(['www', 'api', 'static', 'admin', 'manage']);

/** The org fields shared by the site-management form and the CLI. */
export const OrgFieldsSchema = z
  .object({
    name: requiredText(128),
    subdomain: z
      .string({ error: msg('This field is required.') })
      .trim()
      .toLowerCase()
      .regex(SUBDOMAIN_PATTERN, msg('Use lower-case letters, digits and hyphens.'))
      .refine((s) => !RESERVED_SUBDOMAINS.has(s), msg('This subdomain is reserved.')),
    apiUrl: z.string().trim().pipe(z.url({ protocol: /^https?$/, error: msg('Enter the RapidPro server address, e.g. https://rapidpro.io.') })),
    apiToken: z.string().trim().max(128, msg('This is too long.')).regex(/^[\w-]*$/, msg('A RapidPro API token has only letters and digits.')).default(''),
    timezone: z.string().trim().refine(isTimeZone, msg('Choose a time zone.')).default('UTC'),
    languages: multi(language).refine((l) => l.length > 0, msg('Choose at least one language.')),
    defaultLanguage: language,
  })
  .refine((v) => v.languages.includes(v.defaultLanguage), {
    path: ['defaultLanguage'],
    message: msg('The default language must be one of the languages.'),
  });

export const ManageOrgCreateSchema = OrgFieldsSchema;
export const ManageOrgUpdateSchema = OrgFieldsSchema.and(z.object({ isActive: checkbox, showSpoofData: checkbox }));

export const ManageUserCreateSchema = z
  .object({
    name: requiredText(128),
    email: emailField,
    password: z.string().max(1024),
    confirm: z.string().max(1024),
    isSuperuser: checkbox,
    mustChangePassword: checkbox,
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: msg('The two passwords differ.') });

export const ManageUserUpdateSchema = z
  .object({
    name: requiredText(128),
    email: emailField,
    password: z.string().max(1024).default(''),
    confirm: z.string().max(1024).default(''),
    isSuperuser: checkbox,
    isActive: checkbox,
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: msg('The two passwords differ.') });
