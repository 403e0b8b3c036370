import { db } from '../../src/db/client.js';
import type { Org, User } from '../../src/generated/prisma/client.js';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { setUpDemoOrg } from '../../src/sync/demoSetup.js';
import { buildOrg, buildUser } from '../support/factories.js';
import { TOKEN } from '../rapidpro/support.js';

/**
 * An org set up like the demo against a simulator: regions linked to boundaries, reporter groups,
 * visible data fields, the weekly polls tracked and their runs synced; a supervisor limited to the
 * first region (by name).
 * @param sim the simulator.
 * @returns the org and its supervisor.
 */
export async function dashboardOrg(sim: RunningSimulator, overrides: { timezone?: string } = {}): Promise<{ org: Org; supervisor: User }> {
  const org = await buildOrg({ apiUrl: sim.url, apiToken: TOKEN, ...overrides });
  const supervisor = await buildUser(org, { role: 'supervisor' });
  await setUpDemoOrg(org.id, [supervisor.id]);
  return { org: await db().org.findUniqueOrThrow({ where: { id: org.id } }), supervisor };
}
