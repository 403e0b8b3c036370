import { orgDb } from '../../tenancy/orgDb.js';
import type { HttpClient } from './httpClient.js';
import type { MessageSender } from './types.js';

type Outbound = Parameters<MessageSender['send']>[0];

async function log(orgId: number, message: Outbound, adapter: 'local' | 'http', status: string) {
  await orgDb(orgId).outboundMessage.create({
    data: { orgId, toIdentity: message.toIdentity ?? null, toAddr: message.toAddr ?? null, content: message.content, metadata: (message.metadata ?? {}) as object, adapter, status },
  });
}

/** Keeps outbound messages in the org's outbound-message log; nothing is delivered (the default). */
export class LocalSender implements MessageSender {
  constructor(private readonly orgId: number) {}

  send(message: Outbound) {
    return log(this.orgId, message, 'local', 'logged');
  }
}

/** Sends through the message sender's `POST outbound/`, and logs what was sent. */
export class HttpSender implements MessageSender {
  constructor(
    private readonly orgId: number,
    private readonly http: HttpClient,
  ) {}

  async send(message: Outbound) {
    await this.http.request('POST', 'outbound/', null, {
      ...(message.toIdentity ? { to_identity: message.toIdentity } : {}), ...(message.toAddr ? { to_addr: message.toAddr } : {}),
      content: message.content, metadata: message.metadata ?? {},
    });
    await log(this.orgId, message, 'http', 'sent');
  }
}
