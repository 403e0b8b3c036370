import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { getQueue } from '../../src/jobs/queues.js';
import { buildOrg, buildUser, TEST_PASSWORD } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startTestSimulator, testClient, TOKEN } from '../rapidpro/support.js';
import { buildRegions, nextPhone } from './support.js';

let app: TestServer;
let sim: RunningSimulator;
beforeAll(async () => {
  [app, sim] = await Promise.all([startTestServer(), startTestSimulator({ contacts: 50, weeks: 1 })]);
});
afterAll(async () => {
  await Promise.all([app.close(), sim.close()]);
});

describe('the contact form asks RapidPro whether the URN is free', () => {
  it('refuses a URN that belongs to another RapidPro contact, and accepts a free one', async () => {
    const org = await buildOrg({ apiUrl: sim.url, apiToken: TOKEN });
    const { north, teachers } = await buildRegions(org);
    const admin = await buildUser(org, { role: 'admin' });
    const agent = app.agent();
    await agent.signIn(admin.email, TEST_PASSWORD);
    const host = agent.host(org.subdomain);
    const taken = (await testClient(sim).contacts().all()).flatMap((c) => c.urns).find((u) => u.startsWith('tel:+'))!;
    const form = { name: 'Ama', scheme: 'tel', region: String(north.id), groups: String(teachers.id), language: 'eng' };

    const refused = await agent.post(host, '/contacts', { ...form, address: taken.slice(4) });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('A RapidPro contact already has this address.');

    const free = nextPhone();
    const saved = await agent.post(host, '/contacts', { ...form, address: free.slice(4) });
    expect(saved.status).toBe(303);
    expect((await agent.get(host, '/contacts')).body).not.toContain('could not be asked');
    const contact = await orgDb(org.id).contact.findFirstOrThrow({ where: { urn: free } });
    // The push itself is the job's business (see push.test.ts); keep the shared queue clean.
    await (await getQueue('sync').getJob(`push-contact-${contact.id}`))?.remove().catch(() => undefined);
  });
});
