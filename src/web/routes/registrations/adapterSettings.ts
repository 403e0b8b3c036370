import { z } from 'zod';
import { msg } from '../../../i18n/msg.js';
import { sealSecret, type AdapterSetting, type RegistrationConfig, type SinkSetting } from '../../../registrations/config.js';
import { checkbox } from '../../forms.js';

/** The external services an org chooses a local or HTTP implementation for (spec §2 `adapters`). */
export const SERVICES = ['identityStore', 'messaging', 'sender'] as const;
type Service = (typeof SERVICES)[number];

const address = z.string().trim().max(500).refine((v) => v === '' || (URL.canParse(v) && /^https?:$/.test(new URL(v).protocol)), msg('Enter a web address starting with http:// or https://.')).default('');
const secret = z.string().max(500).default('');

/** The adapter fields of the settings form: per service a kind, an address and a token (blank keeps the stored one), then the sinks. */
export const AdapterFormFields = {
  identityStoreKind: z.enum(['local', 'http']).catch('local'), identityStoreUrl: address, identityStoreToken: secret,
  messagingKind: z.enum(['local', 'http']).catch('local'), messagingUrl: address, messagingToken: secret,
  senderKind: z.enum(['local', 'http']).catch('local'), senderUrl: address, senderToken: secret,
  sinkLocal: checkbox,
  sinkHttpUrl: address, sinkHttpUsername: z.string().trim().max(128).default(''), sinkHttpPassword: secret,
  sinkGraphiteHost: z.string().trim().max(255).regex(/^[\w.-]*$/, msg('Enter a host name or an IP address.')).default(''),
  sinkGraphitePort: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number({ error: msg('Enter a whole number.') }).int(msg('Enter a whole number.')).min(1, msg('Enter a port from 1 to 65535.')).max(65535, msg('Enter a port from 1 to 65535.')).optional()),
};
type AdapterForm = z.infer<z.ZodObject<typeof AdapterFormFields>>;

/**
 * Cross-field problems of the adapter fields: an HTTP service or a Graphite host needs its address or port.
 * @param form the parsed fields.
 * @returns field → message key.
 */
export function adapterFormErrors(form: AdapterForm): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const service of SERVICES) if (form[`${service}Kind`] === 'http' && !form[`${service}Url`]) errors[`${service}Url`] = msg('This field is required.');
  if (form.sinkGraphiteHost && form.sinkGraphitePort === undefined) errors.sinkGraphitePort = msg('This field is required.');
  return errors;
}

/**
 * The adapters a valid form chooses. A blank token or password keeps the one stored for the same
 * kind of service; secrets are sealed with ENCRYPTION_KEY and never shown again.
 * @param form the parsed fields.
 * @param current the stored adapters.
 * @returns the new adapters.
 */
export function adaptersFromForm(form: AdapterForm, current: RegistrationConfig['adapters']): RegistrationConfig['adapters'] {
  const service = (name: Service): AdapterSetting => {
    if (form[`${name}Kind`] === 'local') return { kind: 'local' };
    const stored = current[name];
    const token = form[`${name}Token`];
    const tokenSealed = token ? sealSecret(token) : stored.kind === 'http' ? stored.tokenSealed : undefined;
    return { kind: 'http', url: form[`${name}Url`], ...(tokenSealed ? { tokenSealed } : {}) };
  };
  const sinks: SinkSetting[] = [];
  if (form.sinkLocal) sinks.push({ kind: 'local' });
  if (form.sinkHttpUrl) {
    const stored = current.sinks.find((s) => s.kind === 'http');
    const passwordSealed = form.sinkHttpPassword ? sealSecret(form.sinkHttpPassword) : stored?.passwordSealed;
    sinks.push({ kind: 'http', url: form.sinkHttpUrl, username: form.sinkHttpUsername, ...(passwordSealed ? { passwordSealed } : {}) });
  }
  if (form.sinkGraphiteHost && form.sinkGraphitePort !== undefined) sinks.push({ kind: 'graphite', host: form.sinkGraphiteHost, port: form.sinkGraphitePort });
  return { identityStore: service('identityStore'), messaging: service('messaging'), sender: service('sender'), sinks };
}

/**
 * The form values of stored adapters (no secrets; `<service>TokenSet` says whether one is stored).
 * @param adapters the stored adapters.
 * @returns field → value.
 */
export function adapterFormValues(adapters: RegistrationConfig['adapters']): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const name of SERVICES) {
    const setting = adapters[name];
    Object.assign(values, { [`${name}Kind`]: setting.kind, [`${name}Url`]: setting.kind === 'http' ? setting.url : '', [`${name}TokenSet`]: setting.kind === 'http' && Boolean(setting.tokenSealed) });
  }
  const http = adapters.sinks.find((s) => s.kind === 'http');
  const graphite = adapters.sinks.find((s) => s.kind === 'graphite');
  return {
    ...values, sinkLocal: adapters.sinks.some((s) => s.kind === 'local'),
    sinkHttpUrl: http?.url ?? '', sinkHttpUsername: http?.username ?? '', sinkHttpPasswordSet: Boolean(http?.passwordSealed),
    sinkGraphiteHost: graphite?.host ?? '', sinkGraphitePort: graphite?.port ?? '',
  };
}
