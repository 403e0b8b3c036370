import { z } from 'zod';
import type { Contact } from '../../generated/prisma/client.js';
import { logger } from '../../logger.js';
import { RapidProError, ThrottledError, UnavailableError, ValidationError, type RapidProClient } from '../../rapidpro/client/index.js';
import { rapidProFor } from '../../sync/rapidProFor.js';
import { db } from '../../db/client.js';
import { orgDb, type OrgDb } from '../../tenancy/orgDb.js';
import { Task, type TaskContext } from '../Task.js';

const PushContactSchema = z.object({
  orgId: z.number().int().positive(),
  contactId: z.number().int().positive(),
});

/** Attempts of one push; unavailable or throttled RapidPro is retried with exponential backoff. */
export const PUSH_CONTACT_ATTEMPTS = 5;

/** The contact changed locally while it was being pushed: push again with the newer values. */
class ContactChangedError extends Error {
  constructor(contactId: number) {
    super(`Contact ${contactId} changed while it was being pushed; pushing again.`);
  }
}

/** What the push did. */
export type PushOutcome = 'created' | 'updated' | 'unchanged' | 'deleted' | 'failed' | 'skipped';

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/**
 * Pushes a contact edited in TracPro to RapidPro (spec §17.9.2, with the Extension of Q22: the
 * RapidPro groups TracPro does not manage are kept). It always pushes the contact's current row,
 * so a job that runs again, or after a later edit, does the right thing.
 */
class PushContactTask extends Task<typeof PushContactSchema> {
  readonly name = 'push-contact';
  readonly schema = PushContactSchema;
  override readonly queue = 'sync' as const;
  // Completed and failed jobs are removed so the stable job id can be queued again by the next edit.
  override readonly options = { attempts: PUSH_CONTACT_ATTEMPTS, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: true, removeOnFail: true };

  /**
   * The de-duplicating job id of a contact's push.
   * @param contactId the contact.
   * @returns the job id.
   */
  jobId(contactId: number): string {
    return `push-contact-${contactId}`;
  }

  /**
   * Queues a push of the contact's current state, unless one is already waiting.
   * @param orgId the org.
   * @param contactId the contact.
   * @returns the job id.
   */
  enqueue(orgId: number, contactId: number) {
    return this.schedule({ orgId, contactId }, { jobId: this.jobId(contactId) });
  }

  async perform(payload: z.infer<typeof PushContactSchema>, context?: TaskContext): Promise<PushOutcome> {
    const org = await db().org.findUnique({ where: { id: payload.orgId } });
    if (!org?.isActive || !org.apiTokenEncrypted) return 'skipped';
    const scoped = orgDb(org.id);
    const contact = await scoped.contact.findFirst({ where: { id: payload.contactId }, include: { reporterGroups: { include: { reporterGroup: true } }, region: true } });
    if (!contact) return 'skipped';
    if (contact.isActive && contact.syncState === 'synced') return 'unchanged';
    const client = rapidProFor(org);
    try {
      if (!contact.isActive) {
        if (contact.syncState !== 'synced') await client.deleteContact({ uuid: contact.uuid });
        await this.markSynced(scoped, contact, null, null);
        return 'deleted';
      }
      return await this.pushActive(scoped, client, contact);
    } catch (error) {
      if (error instanceof ContactChangedError) throw error;
      const retryable = error instanceof UnavailableError || error instanceof ThrottledError;
      const lastAttempt = !context?.job || context.job.attemptsMade + 1 >= (context.job.opts.attempts ?? 1);
      if (retryable && !lastAttempt) throw error;
      if (!(error instanceof RapidProError) && !retryable) throw error;
      // A refusal (400) is final; so is the last attempt at an unreachable server. The page offers a retry.
      const message = error instanceof ValidationError ? refusal(error) : error.message;
      await scoped.contact.updateMany({ where: { id: contact.id, updatedAt: contact.updatedAt }, data: { syncState: 'failed', syncError: message.slice(0, 1000) } });
      logger.warn({ orgId: org.id, contactId: contact.id, err: error }, 'contact push failed');
      if (retryable && context?.job) throw error;
      return 'failed';
    }
  }

  private async pushActive(scoped: OrgDb, client: RapidProClient, contact: LoadedContact): Promise<PushOutcome> {
    const ours = [...new Set([...(contact.region ? [contact.region.uuid] : []), ...contact.reporterGroups.map((g) => g.reporterGroup.uuid)])];
    const fields = Object.entries((contact.fields ?? {}) as Record<string, string | null>);
    const urns = contact.urns.length ? contact.urns : contact.urn ? [contact.urn] : [];
    // A temporary uuid is unknown to RapidPro, so a contact created here is created there.
    const remote = await first(client, contact.uuid);
    if (!remote) {
      const created = await client.createContact({ name: contact.name, language: contact.language, urns, groups: ours, fields: Object.fromEntries(fields.filter(([, v]) => v !== null)) });
      await this.markSynced(scoped, contact, created.uuid, new Date(created.modifiedOn.ms), created.groups.map((g) => g.uuid));
      return 'created';
    }
    const [regions, reporterGroups] = await Promise.all([
      scoped.region.findMany({ select: { uuid: true } }),
      scoped.reporterGroup.findMany({ select: { uuid: true } }),
    ]);
    const managed = new Set([...regions, ...reporterGroups].map((g) => g.uuid));
    const unmanaged = remote.groups.map((g) => g.uuid).filter((uuid) => !managed.has(uuid));
    // Query-based and system groups follow from the contact's data; RapidPro refuses them in a write.
    const automatic = unmanaged.length ? new Set((await client.groups().all()).filter((g) => g.query !== null || g.system).map((g) => g.uuid)) : new Set<string>();
    const remoteManual = remote.groups.map((g) => g.uuid).filter((uuid) => !automatic.has(uuid));
    const groups = [...new Set([...unmanaged.filter((uuid) => !automatic.has(uuid)), ...ours])];
    // Cleared values are sent as null so RapidPro forgets them too; other remote fields stay (fields merge).
    const changedFields = Object.fromEntries(fields.filter(([k, v]) => (remote.fields[k] ?? null) !== v));
    const same = (remote.name ?? '') === contact.name && (remote.language ?? null) === contact.language && sameSet(remote.urns, urns)
      && sameSet(remoteManual, groups) && Object.keys(changedFields).length === 0;
    if (same) {
      await this.markSynced(scoped, contact, null, new Date(remote.modifiedOn.ms), remote.groups.map((g) => g.uuid));
      return 'unchanged';
    }
    const updated = await client.updateContact({ uuid: remote.uuid }, { name: contact.name, language: contact.language, urns, groups, fields: changedFields });
    await this.markSynced(scoped, contact, null, new Date(updated.modifiedOn.ms), updated.groups.map((g) => g.uuid));
    return 'updated';
  }

  /** Records RapidPro's answer; if the row was edited meanwhile, keeps the new uuid and pushes again. */
  private async markSynced(scoped: OrgDb, contact: Contact, uuid: string | null, modifiedOn: Date | null, groupUuids?: string[]) {
    const data = { syncState: 'synced' as const, syncError: null, ...(uuid ? { uuid } : {}), ...(modifiedOn ? { rapidproModifiedOn: modifiedOn } : {}), ...(groupUuids ? { groupUuids } : {}) };
    const { count } = await scoped.contact.updateMany({ where: { id: contact.id, updatedAt: contact.updatedAt }, data });
    if (count === 1) return;
    if (uuid) await scoped.contact.updateMany({ where: { id: contact.id }, data: { uuid } });
    throw new ContactChangedError(contact.id);
  }
}

type LoadedContact = Contact & { region: { uuid: string } | null; reporterGroups: { reporterGroup: { uuid: string } }[] };

async function first(client: RapidProClient, uuid: string) {
  for await (const found of client.contacts({ uuid })) return found.deleted ? null : found;
  return null;
}

/** RapidPro's own words, without the advice the client adds for developers. */
function refusal(error: ValidationError): string {
  const fields = Object.entries(error.fieldErrors).map(([k, v]) => `${k}: ${flatten(v)}`);
  return [error.detail, ...error.nonField, ...fields].filter(Boolean).join('; ') || error.message;
}

function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(flatten).join(' ');
  if (value && typeof value === 'object') return Object.values(value).map(flatten).join(' ');
  return String(value);
}

export const pushContactTask = new PushContactTask();
