import { insertOutboundMessages } from '../../db/registrations.js';
import { eachSettled, type HttpClient } from './httpClient.js';
import type { MessageSender, Outbound } from './types.js';

function log(orgId: number, messages: Outbound[], adapter: 'local' | 'http', status: string) {
  return insertOutboundMessages(orgId, messages.map((m) => ({ toIdentity: m.toIdentity ?? null, toAddr: m.toAddr ?? null, content: m.content, metadata: (m.metadata ?? {}) as object, adapter, status })));
}

/** Keeps outbound messages in the org's outbound-message log; nothing is delivered (the default). */
export class LocalSender implements MessageSender {
  constructor(private readonly orgId: number) {}

  async send(messages: Outbound[]) {
    await log(this.orgId, messages, 'local', 'logged');
    return messages.map(() => null);
  }
}

/** Sends through the message sender's `POST outbound/`, and logs what was sent. */
export class HttpSender implements MessageSender {
  constructor(
    private readonly orgId: number,
    private readonly http: HttpClient,
  ) {}

  async send(messages: Outbound[]) {
    const outcomes = await eachSettled(messages, (m) => this.http.request('POST', 'outbound/', null, {
      ...(m.toIdentity ? { to_identity: m.toIdentity } : {}), ...(m.toAddr ? { to_addr: m.toAddr } : {}), content: m.content, metadata: m.metadata ?? {},
    }));
    await log(this.orgId, messages.filter((_, i) => outcomes[i] === null), 'http', 'sent');
    return outcomes;
  }
}
