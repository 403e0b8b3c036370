import type { AdapterSetting, RegistrationConfig, SinkSetting } from '../config.js';
import { openSecret } from '../config.js';
import { HttpClient } from './httpClient.js';
import { HttpIdentityStore, LocalIdentityStore } from './identityStore.js';
import { HttpMessaging, LocalMessaging } from './messaging.js';
import { HttpSender, LocalSender } from './sender.js';
import { AmqpGraphiteSink, GraphiteSink, HttpMetricsSink, LocalSink } from './sinks.js';
import type { Adapters, MetricSink } from './types.js';

function client(setting: Extract<AdapterSetting, { kind: 'http' }>): HttpClient {
  const token = openSecret(setting.tokenSealed);
  return new HttpClient({ baseUrl: setting.url, authorization: token ? `Token ${token}` : undefined });
}

function sink(orgId: number, setting: SinkSetting, prefix: string): MetricSink {
  if (setting.kind === 'local') return new LocalSink(orgId);
  if (setting.kind === 'graphite') return new GraphiteSink(setting.host, setting.port, prefix);
  if (setting.kind === 'amqp') return new AmqpGraphiteSink(openSecret(setting.urlSealed), setting.exchange, prefix);
  const basic = Buffer.from(`${setting.username}:${openSecret(setting.passwordSealed)}`).toString('base64');
  return new HttpMetricsSink(new HttpClient({ baseUrl: setting.url, authorization: `Basic ${basic}` }), prefix);
}

/**
 * Builds an org's adapters from its configuration: the local implementations unless HTTP is chosen.
 * @param orgId the org.
 * @param config the org's configuration.
 * @returns the adapters.
 */
export function adaptersFor(orgId: number, config: RegistrationConfig): Adapters {
  const { identityStore, messaging, sender, sinks } = config.adapters;
  return {
    identityStore: identityStore.kind === 'http' ? new HttpIdentityStore(client(identityStore)) : new LocalIdentityStore(orgId),
    messaging: messaging.kind === 'http' ? new HttpMessaging(client(messaging)) : new LocalMessaging(orgId),
    sender: sender.kind === 'http' ? new HttpSender(orgId, client(sender)) : new LocalSender(orgId),
    sinks: sinks.map((s) => sink(orgId, s, config.metricPrefix)),
  };
}

export type { Adapters } from './types.js';
