import { randomUUID } from 'node:crypto';
import { urnIdentity } from '../contacts/urn.js';
import { pushContactTask } from '../jobs/tasks/PushContactTask.js';
import { orgDb, type OrgDb } from '../tenancy/orgDb.js';

/** A checked contact form (spec §17.9.1). */
export interface ContactInput {
  /** Full name. */
  name: string;
  /** Normalized URN, e.g. `tel:+250788123456`. */
  urn: string;
  /** Language code (ISO 639-2). */
  language: string;
  /** The region, already checked to be one the user may choose. */
  regionId: number;
  /** Reporter groups, already checked to be active groups of the org. */
  reporterGroupIds: number[];
  /** Values of the visible data fields by key; null clears a value. Other stored values are kept. */
  fields: Record<string, string | null>;
}

/**
 * RapidPro group uuids of a contact after a local save: the groups TracPro does not manage are
 * kept, the region's and the reporter groups' replace the managed ones.
 * @param scoped the org's client.
 * @param previous the contact's groups before the save.
 * @param input the form.
 * @returns the group uuids.
 */
async function groupUuids(scoped: OrgDb, previous: string[], input: ContactInput): Promise<string[]> {
  const [regions, groups] = await Promise.all([
    scoped.region.findMany({ select: { id: true, uuid: true } }),
    scoped.reporterGroup.findMany({ select: { id: true, uuid: true } }),
  ]);
  const managed = new Set([...regions, ...groups].map((g) => g.uuid));
  const region = regions.find((r) => r.id === input.regionId)?.uuid;
  const chosen = groups.filter((g) => input.reporterGroupIds.includes(g.id)).map((g) => g.uuid);
  return [...new Set([...previous.filter((uuid) => !managed.has(uuid)), ...(region ? [region] : []), ...chosen])];
}

/**
 * Creates a contact with a temporary uuid, waiting to sync, then queues its push to RapidPro.
 * @param orgId the org.
 * @param userId who creates it.
 * @param input the checked form.
 * @returns the new contact's id.
 */
export async function createContact(orgId: number, userId: number, input: ContactInput): Promise<number> {
  const fields = Object.fromEntries(Object.entries(input.fields).filter(([, v]) => v !== null));
  const scoped = orgDb(orgId);
  const groups = await groupUuids(scoped, [], input);
  const id = await scoped.$transaction(async (tx) => {
    const contact = await tx.contact.create({
      data: {
        orgId, uuid: randomUUID(), name: input.name, urn: input.urn, urns: [input.urn], language: input.language, regionId: input.regionId,
        groupUuids: groups, fields, status: 'active', isActive: true, syncState: 'pending', createdById: userId, updatedById: userId,
      },
    });
    await tx.contactReporterGroup.createMany({ data: input.reporterGroupIds.map((reporterGroupId) => ({ orgId, contactId: contact.id, reporterGroupId })) });
    return contact.id;
  });
  await pushContactTask.enqueue(orgId, id);
  return id;
}

/**
 * Saves an edited contact (its reporter groups replaced, other URNs and hidden fields kept), marks
 * it waiting to sync, then queues its push.
 * @param orgId the org.
 * @param userId who edits it.
 * @param contactId the contact (already checked to be reachable by the user).
 * @param input the checked form.
 */
export async function updateContact(orgId: number, userId: number, contactId: number, input: ContactInput): Promise<void> {
  const scoped = orgDb(orgId);
  await scoped.$transaction(async (tx) => {
    const current = await tx.contact.findFirstOrThrow({ where: { orgId, id: contactId } });
    // The form edits the main URN; other URNs (WhatsApp, e-mail…) stay with the contact.
    const urns = [input.urn, ...current.urns.filter((u) => u !== current.urn && urnIdentity(u) !== urnIdentity(input.urn))];
    const fields = { ...((current.fields ?? {}) as Record<string, string | null>), ...input.fields };
    await tx.contact.update({
      where: { id: contactId },
      data: {
        name: input.name, urn: input.urn, urns, language: input.language, regionId: input.regionId, fields,
        groupUuids: await groupUuids(scoped, current.groupUuids, input), syncState: 'pending', syncError: null, updatedById: userId,
      },
    });
    await tx.contactReporterGroup.deleteMany({ where: { orgId, contactId } });
    await tx.contactReporterGroup.createMany({ data: input.reporterGroupIds.map((reporterGroupId) => ({ orgId, contactId, reporterGroupId })) });
  });
  await pushContactTask.enqueue(orgId, contactId);
}

/**
 * Soft-deletes a contact (its status stays), then queues its deletion in RapidPro.
 * @param orgId the org.
 * @param userId who deletes it.
 * @param contactId the contact.
 */
export async function deleteContact(orgId: number, userId: number, contactId: number): Promise<void> {
  await orgDb(orgId).contact.updateMany({ where: { id: contactId }, data: { isActive: false, syncState: 'pending', syncError: null, updatedById: userId } });
  await pushContactTask.enqueue(orgId, contactId);
}

/**
 * Queues another push of a contact whose last push failed.
 * @param orgId the org.
 * @param contactId the contact.
 */
export async function retryContactPush(orgId: number, contactId: number): Promise<void> {
  await orgDb(orgId).contact.updateMany({ where: { id: contactId }, data: { syncState: 'pending', syncError: null } });
  await pushContactTask.enqueue(orgId, contactId);
}
