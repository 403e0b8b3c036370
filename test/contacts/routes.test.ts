import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getQueue } from '../../src/jobs/queues.js';
import type { Org, Role } from '../../src/generated/prisma/client.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { buildOrg, buildUser, TEST_PASSWORD } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildContact, buildRegions, nextPhone } from './support.js';

let app: TestServer;
beforeAll(async () => {
  app = await startTestServer();
});
afterAll(() => app.close());

/** An org without a RapidPro token, so queued pushes are skipped by any worker that picks them up. */
async function orgWithRegions() {
  const org = await buildOrg({ apiToken: '' });
  return { org, ...(await buildRegions(org)) };
}

async function signedIn(org: Org, role: Role, regionIds: number[] = []) {
  const user = await buildUser(org, { role });
  for (const regionId of regionIds) await orgDb(org.id).regionAccess.create({ data: { orgId: org.id, userId: user.id, regionId } });
  const agent = app.agent();
  await agent.signIn(user.email, TEST_PASSWORD);
  return { user, agent, host: agent.host(org.subdomain) };
}

async function takeJob(contactId: number) {
  const job = await getQueue('sync').getJob(`push-contact-${contactId}`);
  await job?.remove().catch(() => undefined);
  return job;
}

describe('contact pages: who may see them', () => {
  it('sends the signed-out to sign-in, hides the org from outsiders and refuses viewers', async () => {
    const { org, north } = await orgWithRegions();
    const contact = await buildContact(org, { name: 'Ama', regionId: north.id });
    const anonymous = app.agent();
    const host = anonymous.host(org.subdomain);
    expect((await anonymous.get(host, '/contacts')).location).toBe('/login?next=%2Fcontacts');

    const outsider = await signedIn(await buildOrg(), 'admin');
    for (const path of ['/contacts', `/contacts/${contact.id}`, '/contacts.csv']) expect((await outsider.agent.get(host, path)).status).toBe(404);
    expect((await outsider.agent.post(host, `/contacts/${contact.id}/delete`)).status).toBe(404);

    const viewer = await signedIn(org, 'viewer');
    for (const path of ['/contacts', `/contacts/${contact.id}`, '/contacts/new', '/contacts.csv']) expect((await viewer.agent.get(viewer.host, path)).status).toBe(403);
    expect((await viewer.agent.post(viewer.host, `/contacts/${contact.id}/delete`)).status).toBe(403);
    expect((await orgDb(org.id).contact.findFirstOrThrow({ where: { id: contact.id } })).isActive).toBe(true);
  });

  it('limits a supervisor of North to North and its sub-regions (spec §24.24)', async () => {
    const { org, north, northOne, south, teachers } = await orgWithRegions();
    const a = await buildContact(org, { name: 'Alpha North', regionId: north.id, groupIds: [teachers.id] });
    const b = await buildContact(org, { name: 'Beta North One', regionId: northOne.id });
    const c = await buildContact(org, { name: 'Gamma South', regionId: south.id });
    const { agent, host } = await signedIn(org, 'supervisor', [north.id]);

    const list = await agent.get(host, '/contacts');
    expect(list.status).toBe(200);
    expect(list.body).toContain('Alpha North');
    expect(list.body).toContain('Beta North One');
    expect(list.body).not.toContain('Gamma South');
    expect((await agent.get(host, `/contacts?region=${south.id}`)).body).not.toContain('Gamma South');

    expect((await agent.get(host, `/contacts/${a.id}`)).status).toBe(200);
    expect((await agent.get(host, `/contacts/${b.id}/edit`)).status).toBe(200);
    expect((await agent.get(host, `/contacts/${c.id}`)).status).toBe(404);
    expect((await agent.get(host, `/contacts/${c.id}/edit`)).status).toBe(404);
    expect((await agent.post(host, `/contacts/${c.id}`, { name: 'Taken', scheme: 'tel', address: '+250788999111', region: String(north.id), groups: String(teachers.id), language: 'eng' })).status).toBe(404);
    expect((await agent.post(host, `/contacts/${c.id}/delete`)).status).toBe(404);
    expect((await agent.post(host, `/contacts/${c.id}/push`)).status).toBe(404);
    const after = await orgDb(org.id).contact.findFirstOrThrow({ where: { id: c.id } });
    expect(after).toMatchObject({ name: 'Gamma South', isActive: true });

    const csv = await agent.get(host, `/contacts.csv?region=${south.id}`);
    expect(csv.status).toBe(200);
    expect(csv.body).toContain('Alpha North');
    expect(csv.body).not.toContain('Gamma South');
    // The shape of every export: byte-order mark, quoted cells, CRLF; languages by name, as on the page.
    expect(csv.body.startsWith('\ufeff"Name","URN","Region","Reporter groups","Language"')).toBe(true);
    expect(csv.body).toContain('\r\n');
    expect(csv.body).toContain('"English"');

    // The form offers North and North One only; South is an invalid choice.
    const form = await agent.get(host, '/contacts/new');
    expect(form.body).toContain(`value="${north.id}" selected`);
    expect(form.body).toContain('North One</option>');
    expect(form.body).not.toContain('South</option>');
    const refused = await agent.post(host, '/contacts', { name: 'Delta', scheme: 'tel', address: '+250788777666', region: String(south.id), groups: String(teachers.id), language: 'eng' });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('Select a valid choice.');
  });

  it('gives 404 for a deleted contact, another org\'s contact and a non-numeric id', async () => {
    const { org, north } = await orgWithRegions();
    const other = await orgWithRegions();
    const gone = await buildContact(org, { name: 'Gone', regionId: north.id, isActive: false });
    const foreign = await buildContact(other.org, { name: 'Foreign', regionId: other.north.id });
    const { agent, host } = await signedIn(org, 'admin');
    for (const path of [`/contacts/${gone.id}`, `/contacts/${foreign.id}`, '/contacts/abc']) expect((await agent.get(host, path)).status).toBe(404);
  });
});

describe('contact list and export', () => {
  it('searches each term in name or URN, filters by region, reporter group and filterable field, and pages by 25', async () => {
    const { org, north, northOne, south, teachers, nurses } = await orgWithRegions();
    await orgDb(org.id).dataField.create({ data: { orgId: org.id, key: 'school', label: 'school name', visible: true, filterable: true } });
    await buildContact(org, { name: 'Jean Bosco', regionId: northOne.id, groupIds: [teachers.id], urn: 'tel:+250788555001', values: { school: 'GS Kigali' } });
    await buildContact(org, { name: 'Jean Paul', regionId: south.id, groupIds: [nurses.id], values: { school: 'EP Huye' } });
    await buildContact(org, { name: '', regionId: north.id, groupIds: [nurses.id], urn: 'tel:+250788555002' });
    const { agent, host } = await signedIn(org, 'admin');

    const both = await agent.get(host, '/contacts?search=jean');
    expect(both.body).toContain('Jean Bosco');
    expect(both.body).toContain('Jean Paul');
    const narrowed = await agent.get(host, '/contacts?search=jean%20555001');
    expect(narrowed.body).toContain('Jean Bosco');
    expect(narrowed.body).not.toContain('Jean Paul');
    const byRegion = await agent.get(host, `/contacts?region=${north.id}`);
    expect(byRegion.body).toContain('Jean Bosco');
    expect(byRegion.body).toContain('+250788555002');
    expect(byRegion.body).not.toContain('Jean Paul');
    const byGroup = await agent.get(host, `/contacts?group=${nurses.id}`);
    expect(byGroup.body).toContain('Jean Paul');
    expect(byGroup.body).not.toContain('Jean Bosco');
    const byField = await agent.get(host, `/contacts?field.school=${encodeURIComponent('EP Huye')}`);
    expect(byField.body).toContain('Jean Paul');
    expect(byField.body).not.toContain('Jean Bosco');
    expect(byField.body).toContain('href="/contacts.csv?field.school=EP+Huye&amp;"');

    const csv = await agent.get(host, `/contacts.csv?group=${teachers.id}`);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('"Name","URN","Region","Reporter groups","Language","School Name"');
    expect(lines.slice(1)).toEqual(['"Jean Bosco","tel:+250788555001","North One","Teachers","English","GS Kigali"']);

    for (let i = 0; i < 26; i++) await buildContact(org, { name: `Zed ${String(i).padStart(2, '0')}`, regionId: south.id });
    const first = await agent.get(host, '/contacts?search=zed');
    expect(first.body).toContain('Zed 24');
    expect(first.body).not.toContain('Zed 25');
    expect(first.body).toContain('Page 1 of 2');
    expect((await agent.get(host, '/contacts?search=zed&page=2')).body).toContain('Zed 25');
  });

  it('streams every row of a long export', async () => {
    const { org, north } = await orgWithRegions();
    await orgDb(org.id).contact.createMany({
      data: Array.from({ length: 1205 }, (_, i) => ({ orgId: org.id, uuid: `bulk-${org.id}-${i}`, name: `Bulk ${i}`, urn: `tel:+25078${String(1_000_000 + i)}`, regionId: north.id })),
    });
    const { agent, host } = await signedIn(org, 'admin');
    const csv = await agent.get(host, '/contacts.csv');
    expect(csv.body.trim().split('\n')).toHaveLength(1206);
  });
});

describe('creating, editing and deleting contacts', () => {
  it('re-renders the form with every error and keeps the values', async () => {
    const { org } = await orgWithRegions();
    const { agent, host } = await signedIn(org, 'admin');
    const res = await agent.post(host, '/contacts', { name: '', scheme: 'tel', address: '0788123456', region: '', language: 'xyz' });
    expect(res.status).toBe(400);
    expect(res.body).toContain('This field is required.');
    expect(res.body).toContain('Choose at least one reporter group.');
    expect(res.body).toContain('Choose a language from the list.');
    expect(res.body).toContain('value="0788123456"');
    const phone = await agent.post(host, '/contacts', { name: 'Ama', scheme: 'tel', address: '+2507', region: '', language: 'kin' });
    expect(phone.body).toContain('This phone number is too short.');
  });

  it('creates a contact waiting to sync, queues its push, and refuses a URN another active contact has', async () => {
    const { org, north, teachers, nurses } = await orgWithRegions();
    await orgDb(org.id).dataField.create({ data: { orgId: org.id, key: 'age', label: 'Age', valueType: 'numeric', visible: true } });
    const { user, agent, host } = await signedIn(org, 'admin');
    const urn = nextPhone();
    const form = { name: 'Ama Mukamana', scheme: 'tel', address: urn.slice(4), region: String(north.id), groups: [String(teachers.id), String(nurses.id)], language: 'kin', 'field.age': '34' };
    const res = await agent.post(host, '/contacts', form);
    expect(res.status).toBe(303);
    expect(res.location).toBe('/contacts');
    const contact = await orgDb(org.id).contact.findFirstOrThrow({ where: { urn }, include: { reporterGroups: true } });
    expect(contact).toMatchObject({ name: 'Ama Mukamana', language: 'kin', regionId: north.id, syncState: 'pending', createdById: user.id, fields: { age: '34' }, urns: [urn] });
    expect(contact.reporterGroups.map((g) => g.reporterGroupId).sort()).toEqual([teachers.id, nurses.id].sort());
    expect(contact.uuid).toMatch(/^[0-9a-f-]{36}$/);
    const job = await takeJob(contact.id);
    expect(job?.name).toBe('push-contact');
    expect(job?.data).toEqual({ orgId: org.id, contactId: contact.id });

    const page = await agent.get(host, '/contacts');
    expect(page.body).toContain('could not be asked'); // no token: saved with a warning
    expect(page.body).toContain('Waiting to sync');

    const twice = await agent.post(host, '/contacts', { ...form, name: 'Someone Else' });
    expect(twice.status).toBe(400);
    expect(twice.body).toContain('Another contact already has this address.');
  });

  it('compares Twitter IDs by their number', async () => {
    const { org, north, teachers } = await orgWithRegions();
    await buildContact(org, { name: 'Tweeter', regionId: north.id, urn: 'twitterid:98765#first' });
    const { agent, host } = await signedIn(org, 'admin');
    const res = await agent.post(host, '/contacts', { name: 'Other', scheme: 'twitterid', address: '98765#second', region: String(north.id), groups: String(teachers.id), language: 'eng' });
    expect(res.body).toContain('Another contact already has this address.');
  });

  it('edits a contact: reporter groups replaced, hidden fields and other URNs kept, pending again', async () => {
    const { org, north, northOne, teachers, nurses } = await orgWithRegions();
    await orgDb(org.id).dataField.create({ data: { orgId: org.id, key: 'school', label: 'School', visible: true } });
    const contact = await buildContact(org, { name: 'Before', regionId: north.id, groupIds: [teachers.id], values: { school: 'GS A', secret: 'kept' } });
    await orgDb(org.id).contact.update({ where: { id: contact.id }, data: { urns: [contact.urn!, 'whatsapp:250788000000'] } });
    const { user, agent, host } = await signedIn(org, 'supervisor', [north.id]);
    const form = await agent.get(host, `/contacts/${contact.id}/edit`);
    expect(form.body).toContain('value="Before"');
    expect(form.body).toContain('value="GS A"');
    const urn = nextPhone();
    const res = await agent.post(host, `/contacts/${contact.id}`, { name: 'After', scheme: 'tel', address: urn.slice(4), region: String(northOne.id), groups: String(nurses.id), language: 'fra', 'field.school': '' });
    expect(res.status).toBe(303);
    const saved = await orgDb(org.id).contact.findFirstOrThrow({ where: { id: contact.id }, include: { reporterGroups: true } });
    expect(saved).toMatchObject({ name: 'After', urn, urns: [urn, 'whatsapp:250788000000'], regionId: northOne.id, language: 'fra', syncState: 'pending', updatedById: user.id, fields: { school: null, secret: 'kept' } });
    expect(saved.reporterGroups.map((g) => g.reporterGroupId)).toEqual([nurses.id]);
    expect(await takeJob(contact.id)).toBeDefined();
    // Its own URN is not a conflict.
    expect((await agent.post(host, `/contacts/${contact.id}`, { name: 'Again', scheme: 'tel', address: urn.slice(4), region: String(north.id), groups: String(nurses.id), language: 'fra' })).status).toBe(303);
    await takeJob(contact.id);
  });

  it('deletes softly and queues the deletion; a failed push shows RapidPro\'s message and can be retried', async () => {
    const { org, north, teachers } = await orgWithRegions();
    const contact = await buildContact(org, { name: 'Failing', regionId: north.id, groupIds: [teachers.id] });
    await orgDb(org.id).contact.update({ where: { id: contact.id }, data: { syncState: 'failed', syncError: 'name: Ensure this field has no more than 64 characters.' } });
    const { agent, host } = await signedIn(org, 'admin');
    const page = await agent.get(host, `/contacts/${contact.id}`);
    expect(page.body).toContain('Sync failed: name: Ensure this field has no more than 64 characters.');
    expect(page.body).toContain(`action="/contacts/${contact.id}/push"`);
    expect((await agent.post(host, `/contacts/${contact.id}/push`)).location).toBe(`/contacts/${contact.id}`);
    expect(await orgDb(org.id).contact.findFirstOrThrow({ where: { id: contact.id } })).toMatchObject({ syncState: 'pending', syncError: null });
    expect(await takeJob(contact.id)).toBeDefined();

    expect((await agent.post(host, `/contacts/${contact.id}/delete`)).location).toBe('/contacts');
    expect(await orgDb(org.id).contact.findFirstOrThrow({ where: { id: contact.id } })).toMatchObject({ isActive: false, status: 'active', syncState: 'pending' });
    expect(await takeJob(contact.id)).toBeDefined();
    expect((await agent.get(host, `/contacts/${contact.id}`)).status).toBe(404);
    expect((await agent.get(host, '/contacts')).body).not.toContain('Failing');
  });
});

describe('contacts and poll runs (issue 6)', () => {
  it('adds the three latest poll runs of the picked region as columns: a check mark when complete, else a clock (§17.9)', async () => {
    const { buildDashboardOrg, buildDayOfRuns } = await import('../exports/support.js');
    const { db } = await import('../../src/db/client.js');
    const s = await buildDashboardOrg();
    const day = await buildDayOfRuns(s);
    const regional = await db().pollRun.create({ data: { orgId: s.org.id, pollId: s.poll.id, type: 'regional', regionId: s.north.id, conductedOn: new Date('2024-03-06T08:00:00Z') } });
    const south = await db().pollRun.create({ data: { orgId: s.org.id, pollId: s.poll.id, type: 'regional', regionId: s.south.id, conductedOn: new Date('2024-03-07T08:00:00Z') } });
    const { amina, cat, chidi } = s.contacts;
    await db().response.create({ data: { orgId: s.org.id, pollRunId: regional.id, pollId: s.poll.id, contactId: cat.id, createdOn: regional.conductedOn, updatedOn: regional.conductedOn, status: 'C', regionId: s.north.id, contactCounted: true } });
    const { agent, host } = await signedIn(s.org, 'admin');

    // "All regions": no poll-run columns.
    const all = await agent.get(host, '/contacts');
    expect(all.body).not.toContain('Weekly Survey (');
    const north = await agent.get(host, `/contacts?region=${s.north.id}`);
    const headings = [...north.body.matchAll(/<th class="text-center"><a href="\/pollruns\/(\d+)\/participation">([^<]+)<\/a><\/th>/g)].map((m) => [Number(m[1]), m[2]]);
    // The South poll run is not visible from North.
    expect(headings).toEqual([[regional.id, 'Weekly Survey (2024-03-06)'], [day.id, 'Weekly Survey (2024-03-05)']]);
    expect(south.id).toBeGreaterThan(0);
    const marks = (contactId: number) => {
      const row = new RegExp(`href="/contacts/${contactId}"[\\s\\S]*?</tr>`).exec(north.body)![0];
      return [...row.matchAll(/<span class="visually-hidden">(Complete|Not complete)<\/span>/g)].map((m) => m[1]);
    };
    expect(marks(cat.id)).toEqual(['Complete', 'Complete']);
    expect(marks(amina.id)).toEqual(['Not complete', 'Complete']);
    expect(marks(chidi.id)).toEqual(['Not complete', 'Not complete']);
  });

  it('lists a contact\'s active responses with numbered answers; refuses viewers, outsiders and other regions (§17.9)', async () => {
    const { buildDashboardOrg, buildDayOfRuns } = await import('../exports/support.js');
    const s = await buildDashboardOrg();
    const day = await buildDayOfRuns(s);
    const { amina, ben, chidi } = s.contacts;
    const { agent, host } = await signedIn(s.org, 'admin');
    const summary = await agent.get(host, `/contacts/${amina.id}`);
    expect(summary.body).toContain(`href="/contacts/${amina.id}/responses"`);
    const page = await agent.get(host, `/contacts/${amina.id}/responses`);
    expect(page.status).toBe(200);
    // One active response (the superseded morning run is not listed); the category for closed questions.
    expect(page.body).toContain('1 responses');
    expect(page.body).toContain(`href="/pollruns/${day.id}"`);
    const lines = [...page.body.matchAll(/<div>(\d\. [^<]*)<\/div>/g)].map((m) => m[1]!.replace(/&quot;/g, '"'));
    expect(lines).toEqual(['1. Pupils: Few', '2. Weather: Rainy', '3. Comment: Hello, "world" — ça va', '4. Voice note: ']);
    expect((await agent.get(host, `/contacts/${ben.id}/responses`)).body).toContain('<em>No response</em>');
    expect((await agent.get(host, `/contacts/${chidi.id}/responses`)).body).toContain('3. Comment: =1+2');

    const viewer = await signedIn(s.org, 'viewer');
    expect((await viewer.agent.get(viewer.host, `/contacts/${amina.id}/responses`)).status).toBe(403);
    const supervisor = await signedIn(s.org, 'supervisor', [s.south.id]);
    expect((await supervisor.agent.get(supervisor.host, `/contacts/${amina.id}/responses`)).status).toBe(404);
    expect((await supervisor.agent.get(supervisor.host, `/contacts/${ben.id}/responses`)).status).toBe(200);
    const outsider = await signedIn(await buildOrg(), 'admin');
    expect((await outsider.agent.get(host, `/contacts/${amina.id}/responses`)).status).toBe(404);
    const anonymous = app.agent();
    expect((await anonymous.get(host, `/contacts/${amina.id}/responses`)).location).toBe(`/login?next=%2Fcontacts%2F${amina.id}%2Fresponses`);
  });
});
