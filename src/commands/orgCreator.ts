import { db } from '../db/client.js';
import { env } from '../env.js';
import type { Org } from '../generated/prisma/client.js';
import { seal } from '../lib/secretBox.js';

export interface OrgFields {
  /** Display name. */
  name: string;
  /** Lower-case slug; the org lives at <subdomain>.<base host>. */
  subdomain: string;
  /** RapidPro server root, e.g. https://rapidpro.io. */
  apiUrl: string;
  /** RapidPro API token in clear; stored encrypted. Undefined keeps the current one. */
  apiToken?: string | undefined;
  timezone: string;
  languages: string[];
  defaultLanguage: string;
  isActive?: boolean;
  logo?: { bytes: Buffer; mimeType: string } | null | undefined;
}

/**
 * Turns form fields into the columns they are stored in (token encrypted, logo split).
 * @param fields the fields.
 * @returns Prisma data.
 */
function columns(fields: Partial<OrgFields>) {
  const { apiToken, logo, ...rest } = fields;
  return {
    ...rest,
    // A new token has not been refused yet: syncing resumes with it.
    ...(apiToken !== undefined ? { apiTokenEncrypted: apiToken ? seal(env().encryptionKey, apiToken) : null, apiTokenError: null } : {}),
    ...(logo !== undefined ? { logo: logo ? new Uint8Array(logo.bytes) : null, logoMimeType: logo?.mimeType ?? null } : {}),
  };
}

/**
 * Creates an org and makes the given users its administrators, in one transaction.
 * @param fields the org's fields.
 * @param adminUserIds users who become admins.
 * @returns the org.
 */
export async function createOrg(fields: OrgFields, adminUserIds: number[] = []): Promise<Org> {
  return db().$transaction(async (tx) => {
    const org = await tx.org.create({ data: columns(fields) as never });
    if (adminUserIds.length) {
      await tx.orgMembership.createMany({ data: adminUserIds.map((userId) => ({ orgId: org.id, userId, role: 'admin' as const })) });
    }
    return org;
  });
}

/**
 * Updates an org's fields.
 * @param orgId the org.
 * @param fields the changed fields.
 * @returns the org.
 */
export async function updateOrg(orgId: number, fields: Partial<OrgFields>): Promise<Org> {
  return db().org.update({ where: { id: orgId }, data: columns(fields) as never });
}
