import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import type { z } from 'zod';
import { questionsOfExport } from '../definitions/extract.js';
import type { Question } from '../definitions/types.js';
import { BadResponseError, NotFoundError, UnavailableError } from './errors.js';
import { PageWalk } from './pageWalk.js';
import * as S from './schemas.js';
import { formatApiTime, type ApiTime } from './timestamps.js';
import { Transport, type TransportOptions } from './transport.js';

/** A time accepted by range filters. */
export type TimeInput = Date | ApiTime | string | number;

type Query = Record<string, string | string[] | undefined>;
const t = (value: TimeInput | undefined): string | undefined => (value === undefined ? undefined : formatApiTime(value));
const b = (value: boolean | undefined): string | undefined => (value === undefined ? undefined : String(value));

/** Recipients of a start or broadcast. */
export interface Recipients {
  contacts?: string[];
  groups?: string[];
  urns?: string[];
}

/** Writable contact attributes (spec §6): urns and groups replace, fields merge. */
export interface ContactWrite {
  name?: string | null;
  language?: string | null;
  urns?: string[];
  groups?: string[];
  fields?: Record<string, string | null>;
}

function parse<T>(schema: z.ZodType<T>, body: unknown, url: string, status: number): T {
  const result = schema.safeParse(body);
  if (!result.success) throw new BadResponseError(url, status, result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return result.data;
}

/** Whether a write's recipients (uuids) are exactly those RapidPro lists for a start or broadcast. */
function sameUuids(sent: string[] = [], listed: { uuid: string }[] = []): boolean {
  const set = new Set(sent);
  return set.size === listed.length && listed.every((x) => set.has(x.uuid));
}

/**
 * The RapidPro API v2 client: every read (as cursor walks) and write the dashboard uses.
 */
export class RapidProClient {
  readonly transport: Transport;

  /** @param options base URL, token, retry/backoff, budget, timeout and logger. */
  constructor(options: TransportOptions) {
    this.transport = new Transport(options);
  }

  /** Server time from the last `Date` header (null before the first answer). */
  serverTime(): Date | null {
    return this.transport.serverTime();
  }

  private walk<T>(path: string, query: Query, schema: z.ZodType<T>, cursor?: string | null): PageWalk<T> {
    return new PageWalk(this.transport, path, query, schema, cursor ?? null);
  }

  /** Fetches the workspace (validates the token; gives the timezone). */
  async workspace(): Promise<S.Workspace> {
    const response = await this.transport.request('GET', 'workspace.json');
    return parse(S.WorkspaceSchema, response.body, response.url, response.status);
  }

  /** Walks the groups. */
  groups(q: { uuid?: string; name?: string; manualOnly?: boolean } = {}): PageWalk<S.Group> {
    return this.walk('groups.json', { uuid: q.uuid, name: q.name, manual_only: b(q.manualOnly) }, S.GroupSchema);
  }

  /** Walks the contact fields. */
  fields(q: { key?: string } = {}): PageWalk<S.Field> {
    return this.walk('fields.json', { key: q.key }, S.FieldSchema);
  }

  /** Walks the boundaries, always asking for geometry. */
  boundaries(): PageWalk<S.Boundary> {
    return this.walk('boundaries.json', { geometry: 'true' }, S.BoundarySchema);
  }

  /** Walks contacts (spec §5.5); `deleted: true` gives tombstones only. */
  contacts(q: { uuid?: string; urn?: string; group?: string; deleted?: boolean; after?: TimeInput; before?: TimeInput; reverse?: boolean; cursor?: string | null } = {}): PageWalk<S.Contact> {
    return this.walk('contacts.json', { uuid: q.uuid, urn: q.urn, group: q.group, deleted: b(q.deleted), after: t(q.after), before: t(q.before), reverse: b(q.reverse) }, S.ContactSchema, q.cursor);
  }

  /** Walks flows. */
  flows(q: { uuid?: string; type?: string; archived?: boolean; after?: TimeInput; before?: TimeInput } = {}): PageWalk<S.Flow> {
    return this.walk('flows.json', { uuid: q.uuid, type: q.type, archived: b(q.archived), after: t(q.after), before: t(q.before) }, S.FlowSchema);
  }

  /**
   * Fetches flow definitions (always `dependencies=none`) and extracts their questions.
   * @returns the raw export and questions per flow uuid.
   */
  async definitions(flowUuids: string[]): Promise<{ raw: unknown; flows: Map<string, { name: string; questions: Question[] }> }> {
    const response = await this.transport.request('GET', 'definitions.json', { query: { flow: flowUuids, dependencies: 'none' } });
    try {
      return { raw: response.body, flows: questionsOfExport(response.body) };
    } catch (error) {
      throw new BadResponseError(response.url, response.status, `definitions: ${(error as Error).message.slice(0, 200)}`, { cause: error });
    }
  }

  /** Walks runs (spec §5.8). */
  runs(q: { flow?: string; uuid?: string; responded?: boolean; after?: TimeInput; before?: TimeInput; reverse?: boolean; paths?: boolean; cursor?: string | null } = {}): PageWalk<S.Run> {
    return this.walk('runs.json', { flow: q.flow, uuid: q.uuid, responded: b(q.responded), after: t(q.after), before: t(q.before), reverse: b(q.reverse), paths: b(q.paths) }, S.RunSchema, q.cursor);
  }

  /** Walks messages (spec §5.9). */
  messages(q: { folder?: string; contact?: string; label?: string; uuid?: string; after?: TimeInput; before?: TimeInput; cursor?: string | null } = {}): PageWalk<S.Message> {
    return this.walk('messages.json', { folder: q.folder, contact: q.contact, label: q.label, uuid: q.uuid, after: t(q.after), before: t(q.before) }, S.MessageSchema, q.cursor);
  }

  /** Walks flow starts. */
  flowStarts(q: { uuid?: string; after?: TimeInput; before?: TimeInput; reverse?: boolean } = {}): PageWalk<S.FlowStart> {
    return this.walk('flow_starts.json', { uuid: q.uuid, after: t(q.after), before: t(q.before), reverse: b(q.reverse) }, S.FlowStartSchema);
  }

  /** Walks broadcasts. */
  broadcasts(q: { uuid?: string; after?: TimeInput; before?: TimeInput } = {}): PageWalk<S.Broadcast> {
    return this.walk('broadcasts.json', { uuid: q.uuid, after: t(q.after), before: t(q.before) }, S.BroadcastSchema);
  }

  /** Walks archive records (spec §5.11). */
  archives(q: { type?: 'run' | 'message'; period?: 'daily' | 'monthly'; after?: string; before?: string } = {}): PageWalk<S.Archive> {
    return this.walk('archives.json', { type: q.type, period: q.period, after: q.after, before: q.before }, S.ArchiveSchema);
  }

  /**
   * Downloads a run archive (no token: the URL is pre-signed) and parses its JSON lines.
   * @returns the runs of the file.
   */
  async archiveRuns(archive: S.Archive): Promise<S.Run[]> {
    const runs: S.Run[] = [];
    for await (const run of this.archiveRunStream(archive.downloadUrl)) runs.push(run);
    return runs;
  }

  /**
   * Streams a run archive's runs in file order. The file is downloaded to a temporary file first:
   * a monthly archive can be hundreds of megabytes, and the caller writes runs far slower than the
   * link downloads, so neither memory nor the link's lifetime depends on the archive's size.
   * @param downloadUrl the archive's pre-signed link.
   */
  async *archiveRunStream(downloadUrl: string): AsyncGenerator<S.Run> {
    const dir = await mkdtemp(path.join(tmpdir(), 'tracpro-archive-'));
    try {
      const file = path.join(dir, 'runs.jsonl.gz');
      const timeoutMs = (this.transport.options.timeoutMs ?? 60_000) * 10;
      const response = await fetch(downloadUrl, { signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok || !response.body) throw new BadResponseError(downloadUrl, response.status, `archive download failed with HTTP ${response.status}`);
      await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), createWriteStream(file));
      const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
      let lineNumber = 0;
      try {
        for await (const line of lines) {
          lineNumber++;
          if (line.trim() === '') continue;
          let body: unknown;
          try {
            body = JSON.parse(line);
          } catch {
            throw new BadResponseError(downloadUrl, 200, `line ${lineNumber} of the archive is not JSON`);
          }
          yield parse(S.RunSchema, body, downloadUrl, 200);
        }
      } catch (error) {
        if (error instanceof BadResponseError) throw error;
        throw new BadResponseError(downloadUrl, 200, `the archive is not a readable gzip file (${(error as Error).message})`, { cause: error });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async serverNow(): Promise<Date> {
    if (!this.serverTime()) await this.workspace();
    return this.serverTime() ?? new Date();
  }

  /** Creates a contact; retried only through a URN lookup when the outcome is unknown. */
  async createContact(body: ContactWrite): Promise<S.Contact> {
    try {
      const r = await this.transport.request('POST', 'contacts.json', { body, retry: 'never' });
      return parse(S.ContactSchema, r.body, r.url, r.status);
    } catch (error) {
      const urn = body.urns?.[0];
      if (!(error instanceof UnavailableError) || !urn) throw error;
      // The create may have happened: a URN identifies it, so look before creating again.
      for await (const found of this.contacts({ urn })) return found;
      const r = await this.transport.request('POST', 'contacts.json', { body, retry: 'never' });
      return parse(S.ContactSchema, r.body, r.url, r.status);
    }
  }

  /** Updates a contact by uuid or URN (idempotent, so retried): urns/groups replace, fields merge. */
  async updateContact(ref: { uuid: string } | { urn: string }, body: ContactWrite): Promise<S.Contact> {
    const r = await this.transport.request('POST', 'contacts.json', { query: { ...ref }, body });
    return parse(S.ContactSchema, r.body, r.url, r.status);
  }

  /** Deletes a contact; an already-deleted contact counts as success. */
  async deleteContact(ref: { uuid: string } | { urn: string }): Promise<void> {
    try {
      await this.transport.request('DELETE', 'contacts.json', { query: { ...ref } });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }

  /** Adds or removes contacts (≤ 100) to/from a manual group. */
  async contactAction(body: { contacts: string[]; action: 'add' | 'remove'; group: string }): Promise<void> {
    await this.transport.request('POST', 'contact_actions.json', { body });
  }

  /**
   * Starts a flow, guarding against duplicates: after an unknown outcome it lists the starts since
   * one minute before the request (server time) and retries only when none matches.
   * @returns the created (or found) flow start.
   */
  async startFlow(body: Recipients & { flow: string; restart_participants?: boolean; exclude_active?: boolean; params?: Record<string, unknown> }): Promise<S.FlowStart> {
    const sentAt = await this.serverNow();
    const send = async (): Promise<S.FlowStart> => {
      const r = await this.transport.request('POST', 'flow_starts.json', { body: { restart_participants: true, ...body }, retry: 'never' });
      return parse(S.FlowStartSchema, r.body, r.url, r.status);
    };
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof UnavailableError)) throw error;
      for await (const start of this.flowStarts({ after: new Date(sentAt.getTime() - 60_000) })) {
        if (start.flow.uuid === body.flow && sameUuids(body.contacts, start.contacts) && sameUuids(body.groups, start.groups)) return start;
      }
      return send();
    }
  }

  /** Sends a broadcast, with the same duplicate guard as {@link startFlow}. */
  async sendBroadcast(body: Recipients & { text: string | Record<string, string>; base_language?: string }): Promise<S.Broadcast> {
    const sentAt = await this.serverNow();
    const send = async (): Promise<S.Broadcast> => {
      const r = await this.transport.request('POST', 'broadcasts.json', { body, retry: 'never' });
      return parse(S.BroadcastSchema, r.body, r.url, r.status);
    };
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof UnavailableError)) throw error;
      const text = typeof body.text === 'string' ? body.text : Object.values(body.text)[0];
      for await (const found of this.broadcasts({ after: new Date(sentAt.getTime() - 60_000) })) {
        // The exact recipients: a broadcast of the same text to a superset is another message.
        if (Object.values(found.text).includes(text ?? '') && sameUuids(body.contacts, found.contacts) && sameUuids(body.groups, found.groups)) return found;
      }
      return send();
    }
  }

  /** Sends one message; never retried, since a lost answer cannot be told apart from a lost send. */
  async sendMessage(body: { contact: string; text: string }): Promise<S.Message> {
    const r = await this.transport.request('POST', 'messages.json', { body, retry: 'never' });
    return parse(S.MessageSchema, r.body, r.url, r.status);
  }
}
