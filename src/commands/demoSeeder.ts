import { db } from '../db/client.js';
import { createOrg, updateOrg } from './orgCreator.js';
import { createUser } from './userCreator.js';
import { seedRegistrationsDemo } from '../registrations/demoSeeder.js';
import { setUpDemoOrg } from '../sync/demoSetup.js';
import { seedIndicatorDemo } from '../indicators/demo.js';
import { seedMessagesDemo } from '../messages/demoSeeder.js';
import type { Role } from '../generated/prisma/client.js';

export const DEMO_SUBDOMAIN = 'demo';

/** The demo's people; the passwords are printed by `npm run demo`. */
export const DEMO_ACCOUNTS: { email: string; name: string; password: string; role: Role | 'superuser' }[] = [
  { email: 'admin@demo.tracpro.org', name: 'Aline Uwase (admin)', password: 'demo-admin-2026', role: 'admin' },
  { email: 'supervisor@demo.tracpro.org', name: 'Jean Habimana (supervisor)', password: 'demo-supervisor-2026', role: 'supervisor' },
  { email: 'viewer@demo.tracpro.org', name: 'Grace Mukamana (viewer)', password: 'demo-viewer-2026', role: 'viewer' },
  { email: 'root@demo.tracpro.org', name: 'Site operator', password: 'demo-superuser-2026', role: 'superuser' },
];

/**
 * Creates (or refreshes) the demo org and its accounts. Safe to run again: existing rows are kept
 * and the org is pointed at the given RapidPro server. Later features add their demo data here.
 * @param rapidPro the simulator's URL and the workspace token.
 * @returns the org id.
 */
export async function seedDemo(rapidPro: { apiUrl: string; apiToken: string }): Promise<number> {
  const existing = await db().org.findUnique({ where: { subdomain: DEMO_SUBDOMAIN } });
  const fields = { apiUrl: rapidPro.apiUrl, apiToken: rapidPro.apiToken, isActive: true };
  const org = existing
    ? await updateOrg(existing.id, fields)
    : await createOrg({
        name: 'Demo — Ministry of Education', subdomain: DEMO_SUBDOMAIN, timezone: 'Africa/Kigali',
        languages: ['en', 'fr', 'es', 'fa', 'ps'], defaultLanguage: 'en', ...fields,
      });
  for (const account of DEMO_ACCOUNTS) {
    const user = await db().user.findUnique({ where: { email: account.email } });
    if (user) continue;
    const superuser = account.role === 'superuser';
    await createUser(
      { email: account.email, name: account.name, password: account.password, isSuperuser: superuser },
      superuser ? undefined : { orgId: org.id, role: account.role as Role },
    );
  }
  const members = await db().orgMembership.findMany({ where: { orgId: org.id, role: { in: ['supervisor', 'viewer'] } }, orderBy: { role: 'asc' } });
  await setUpDemoOrg(org.id, members.map((m) => m.userId));
  await seedRegistrationsDemo(org.id);
  await seedIndicatorDemo(org.id);
  await seedMessagesDemo(org.id);
  return org.id;
}
