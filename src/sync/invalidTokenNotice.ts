import { db } from '../db/client.js';
import { env } from '../env.js';
import type { Org } from '../generated/prisma/client.js';
import { queueMail } from '../mail/compose.js';
import { hostUrl } from '../tenancy/hosts.js';

/**
 * Flags an org whose RapidPro token was refused, and the first time tells its administrators why
 * by e-mail (the org page shows the reason until a new token is saved).
 * @param org the org.
 * @param reason RapidPro's answer.
 */
export async function notifyInvalidToken(org: Org, reason: string): Promise<void> {
  const { count } = await db().org.updateMany({ where: { id: org.id, apiTokenError: null }, data: { apiTokenError: reason.slice(0, 500) } });
  if (count === 0) return;
  const admins = await db().orgMembership.findMany({
    where: { orgId: org.id, role: 'admin', isActive: true, user: { isActive: true } },
    include: { user: true },
  });
  const config = env();
  const link = hostUrl(config.publicScheme, config.BASE_HOST, org.subdomain, '/org');
  for (const { user } of admins) {
    await queueMail('invalidToken', user.email, user.language ?? org.defaultLanguage, { orgName: org.name, reason, link });
  }
}
