import { z } from 'zod';
import { SUPPORTED_LANGUAGES } from '../../../i18n/index.js';
import { msg } from '../../../i18n/msg.js';
import { isTimeZone } from '../../../lib/dates.js';
import { multi, requiredText } from '../../forms.js';
import { SYNC_RESOURCE_NAMES, type SyncResource } from '../../../sync/resources.js';

const language = z.enum(SUPPORTED_LANGUAGES, { error: msg('Choose a language.') });

export const OrgEditSchema = z
  .object({
    name: requiredText(128),
    timezone: z.string().trim().refine(isTimeZone, msg('Choose a time zone.')),
    languages: multi(language).refine((l) => l.length > 0, msg('Choose at least one language.')),
    defaultLanguage: language,
    visibleFields: multi(z.string().max(255)),
    filterableFields: multi(z.string().max(255)),
  })
  .refine((v) => v.languages.includes(v.defaultLanguage), { path: ['defaultLanguage'], message: msg('The default language must be one of the languages.') });

export const OrgTokenSchema = z.object({
  apiUrl: z.string().trim().pipe(z.url({ protocol: /^https?$/, error: msg('Enter the RapidPro server address, e.g. https://rapidpro.io.') })),
  apiToken: z.string().trim().regex(/^[\w-]{8,128}$/, msg('A RapidPro API token has only letters and digits.')),
});

export const OrgSyncSchema = z.object({
  resource: z.enum(SYNC_RESOURCE_NAMES as [SyncResource, ...SyncResource[]]).optional(),
});

export const GroupSelectSchema = z.object({ groups: multi(z.string().max(36)) });
