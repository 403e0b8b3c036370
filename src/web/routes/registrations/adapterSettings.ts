import { z } from 'zod';
import { msg } from '../../../i18n/msg.js';
import { openSecret, sealSecret, type AdapterSetting, type RegistrationConfig, type SinkSetting } from '../../../registrations/config.js';
import { checkbox } from '../../forms.js';

/** The external services an org chooses a local or HTTP implementation for (spec §2 `adapters`). */
export const SERVICES = ['identityStore', 'messaging', 'sender'] as const;
type Service = (typeof SERVICES)[number];

/** An optional address field: empty, or a URL with a host whose scheme `protocol` matches (e.g. /^https?:$/). */
const addressField = (protocol: RegExp, message: string) =>
  z.string().trim().max(500).refine((v) => v === '' || (URL.canParse(v) && protocol.test(new URL(v).protocol) && new URL(v).hostname !== ''), message).default('');
const address = addressField(/^https?:$/, msg('Enter a web address starting with http:// or https://.'));
const amqpAddress = addressField(/^amqps?:$/, msg('Enter an address starting with amqp:// or amqps://.'));
const secret = z.string().max(500).default('');

/** An address without the password written into it. */
function withoutPassword(address: string): string {
  const url = new URL(address);
  url.password = '';
  return url.href;
}

/** The adapter fields of the settings form: per service a kind, an address and a token (blank keeps the stored one), then the sinks. */
export const AdapterFormFields = {
  identityStoreKind: z.enum(['local', 'http']).catch('local'), identityStoreUrl: address, identityStoreToken: secret,
  messagingKind: z.enum(['local', 'http']).catch('local'), messagingUrl: address, messagingToken: secret,
  senderKind: z.enum(['local', 'http']).catch('local'), senderUrl: address, senderToken: secret,
  sinkLocal: checkbox,
  sinkHttpUrl: address, sinkHttpUsername: z.string().trim().max(128).default(''), sinkHttpPassword: secret,
  sinkGraphiteHost: z.string().trim().max(255).regex(/^[\w.-]*$/, msg('Enter a host name or an IP address.')).default(''),
  sinkGraphitePort: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number({ error: msg('Enter a whole number.') }).int(msg('Enter a whole number.')).min(1, msg('Enter a port from 1 to 65535.')).max(65535, msg('Enter a port from 1 to 65535.')).optional()),
  sinkAmqpUrl: amqpAddress, sinkAmqpPassword: secret,
  sinkAmqpExchange: z.string().trim().max(255).regex(/^[\w.-]*$/, msg('Use letters, digits, dots, _ and - only.')).default(''),
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
  if (form.sinkAmqpUrl) {
    const stored = current.sinks.find((s) => s.kind === 'amqp');
    // The password field wins, then a password typed into the address, then the stored one.
    // URL holds the password percent-encoded, which is how amqplib reads it back.
    const full = new URL(form.sinkAmqpUrl);
    full.password = (form.sinkAmqpPassword && encodeURIComponent(form.sinkAmqpPassword)) || full.password || (stored ? storedAmqpPassword(stored) : '');
    sinks.push({ kind: 'amqp', url: withoutPassword(full.href), urlSealed: sealSecret(full.href), exchange: form.sinkAmqpExchange || 'graphite' });
  }
  return { identityStore: service('identityStore'), messaging: service('messaging'), sender: service('sender'), sinks };
}

/** The password in a stored AMQP sink's sealed address: '' when there is none or it no longer opens (a changed ENCRYPTION_KEY). */
function storedAmqpPassword(setting: Extract<SinkSetting, { kind: 'amqp' }>): string {
  try {
    return new URL(openSecret(setting.urlSealed)).password;
  } catch {
    return '';
  }
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
  const amqp = adapters.sinks.find((s) => s.kind === 'amqp');
  return {
    ...values, sinkLocal: adapters.sinks.some((s) => s.kind === 'local'),
    sinkHttpUrl: http?.url ?? '', sinkHttpUsername: http?.username ?? '', sinkHttpPasswordSet: Boolean(http?.passwordSealed),
    sinkGraphiteHost: graphite?.host ?? '', sinkGraphitePort: graphite?.port ?? '',
    sinkAmqpUrl: amqp?.url ?? '', sinkAmqpExchange: amqp?.exchange ?? 'graphite', sinkAmqpPasswordSet: amqp ? storedAmqpPassword(amqp) !== '' : false,
  };
}

/**
 * A submitted form, to show again with its errors: without the secrets typed into it (a password
 * written into the AMQP address included).
 * @param body the submitted fields.
 * @returns the fields to show.
 */
export function submittedWithoutSecrets(body: Record<string, unknown>): Record<string, unknown> {
  const shown = Object.fromEntries(Object.entries(body).filter(([key]) => !/(Token|Password)$/.test(key)));
  if (typeof shown.sinkAmqpUrl === 'string' && URL.canParse(shown.sinkAmqpUrl)) shown.sinkAmqpUrl = withoutPassword(shown.sinkAmqpUrl);
  return shown;
}
