import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChange } from '../../src/registrations/commands/changeCreator.js';
import { receiveOptout } from '../../src/registrations/commands/optoutReceiver.js';
import { createRegistration } from '../../src/registrations/commands/registrationCreator.js';
import { saveConfig } from '../../src/registrations/config.js';
import { buildOrg, buildUser, TEST_PASSWORD } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { buildSource, drainSlots, FRIEND, MOTHER, prebirthData } from './support.js';

type Shaped = { labels: string[]; datasets: { label: string; data: number[]; yAxisID: string; backgroundColor?: string }[] };
const { toChartData, toScales } = (await import('../../static/js/charts/registrations-series.js' as string)) as {
  toChartData: (data: object) => Shaped;
  toScales: (data: object, rtl: boolean) => Record<string, { stacked?: boolean; position?: string }>;
};

let app: TestServer;
beforeAll(async () => {
  app = await startTestServer();
});
afterAll(() => app.close());

describe('breakdown charts of the Registrations page (spec §9.3)', () => {
  it('stack the registrations per bucket by the family’s values, for members of the org only', async () => {
    const { org, source } = await buildSource();
    const ivr = await buildSource({ org, slug: 'ivr' });
    await saveConfig(org.id, { languages: ['eng_NG', 'hau_NG'] });
    const at = (day: number) => new Date(Date.UTC(2024, 4, day, 12));
    for (const [day, language, from] of [[1, 'eng_NG', source], [1, 'hau_NG', ivr.source], [2, 'hau_NG', source], [2, 'klingon', source]] as const) {
      await createRegistration(org.id, from, { stage: 'prebirth', motherId: MOTHER, data: prebirthData({ language }) }, 'test', at(day));
    }
    const agent = app.agent();
    await agent.signIn((await buildUser(org, { role: 'viewer' })).email, TEST_PASSWORD);
    const host = agent.host(org.subdomain);
    const chart = async (query: string) => JSON.parse((await agent.get(host, `/registrations/charts/breakdown.json?from=2024-05-01&to=2024-05-02&interval=1d&${query}`)).body);
    const languages = await chart('family=language');
    expect(languages).toMatchObject({ labels: ['2024-05-01', '2024-05-02'], stacked: true, datasets: [{ label: 'eng_NG', data: [1, 0] }, { label: 'hau_NG', data: [1, 1] }] });
    expect(languages.table.rows).toEqual([['2024-05-01', 1, 1], ['2024-05-02', 0, 1]]);
    expect((await chart('family=source')).datasets).toEqual([{ label: 'Field app', type: 'bar', data: [1, 0] }, { label: 'Field app', type: 'bar', data: [1, 2] }]);
    expect((await chart(`family=language&source=${ivr.source.id}`)).datasets.map((d: { data: number[] }) => d.data)).toEqual([[0, 0], [1, 0]]);
    expect((await chart('family=nonsense')).datasets.map((d: { label: string }) => d.label)).toEqual(['eng_NG', 'hau_NG']);

    const outsider = app.agent();
    await outsider.signIn((await buildUser(await buildOrg(), { role: 'admin' })).email, TEST_PASSWORD);
    expect((await outsider.get(host, '/registrations/charts/breakdown.json?family=language')).status).toBe(404);
    const page = (await agent.get(host, '/registrations?from=2024-05-01&to=2024-05-02')).body;
    expect(page).toContain('/registrations/charts/breakdown.json?family=msg_type&amp;from=2024-05-01');
    expect(page).toContain('data-auto-refresh');
  });

  it('show opt-outs from short sources outside the org list together, as "Other sources"', async () => {
    const { org, source } = await buildSource();
    const at = new Date(Date.UTC(2024, 4, 2, 12));
    await createRegistration(org.id, source, { stage: 'prebirth', motherId: MOTHER, data: prebirthData({ msg_receiver: 'mother_only', receiver_id: MOTHER }) }, 'test', at);
    for (const requestSource of ['ivr_line', 'whatsapp', 'sms']) await receiveOptout(org.id, { identity: MOTHER, reason: 'not_useful', requestSource }, at);
    await drainSlots('metrics');
    await drainSlots('metrics');
    const agent = app.agent();
    await agent.signIn((await buildUser(org, { role: 'viewer' })).email, TEST_PASSWORD);
    const host = agent.host(org.subdomain);
    const sources = JSON.parse((await agent.get(host, '/registrations/charts/optouts.json?family=source&from=2024-05-01&to=2024-05-02&interval=1d')).body);
    expect(sources.datasets.map((d: { label: string; data: number[] }) => [d.label, d.data])).toEqual([['sms', [0, 1]], ['ussd', [0, 0]], ['voice', [0, 0]], ['Other sources', [0, 2]]]);
    expect(sources.table.rows).toEqual([['2024-05-01', 0, 0, 0, 0], ['2024-05-02', 1, 0, 0, 2]]);
    const page = (await agent.get(host, '/registrations?from=2024-05-01&to=2024-05-02')).body;
    expect(page).toMatch(/Other sources<\/td><td class="text-end">2</);
    expect(page).toMatch(/>sms<\/td><td class="text-end">1</);
  });

  it('filter the changes and opt-outs series by source: a change by its source, an opt-out by its registration’s', async () => {
    const { org, source } = await buildSource();
    const other = await buildSource({ org, slug: 'ivr' });
    const at = new Date(Date.UTC(2024, 4, 2, 12));
    await createRegistration(org.id, source, { stage: 'prebirth', motherId: MOTHER, data: prebirthData() }, 'test', at);
    await createRegistration(org.id, other.source, { stage: 'prebirth', motherId: FRIEND, data: prebirthData({ msg_receiver: 'mother_only', receiver_id: FRIEND }) }, 'test', at);
    await createChange(org.id, { motherId: MOTHER, action: 'change_language', data: { new_language: 'eng_NG' } }, 'test', source.id);
    await orgDb(org.id).registrationChange.updateMany({ data: { createdAt: at } });
    await receiveOptout(org.id, { identity: FRIEND, reason: 'miscarriage', requestSource: 'sms' }, at);
    const agent = app.agent();
    await agent.signIn((await buildUser(org, { role: 'viewer' })).email, TEST_PASSWORD);
    const host = agent.host(org.subdomain);
    const series = async (path: string, sourceId: string, label: string) => {
      const chart = JSON.parse((await agent.get(host, `${path}from=2024-05-01&to=2024-05-02&interval=1d&source=${sourceId}`)).body);
      return chart.datasets.find((d: { label: string }) => d.label === label).data;
    };
    expect(await series('/registrations/charts/changes.json?', source.id, 'Language')).toEqual([0, 1]);
    expect(await series('/registrations/charts/changes.json?', other.source.id, 'Language')).toEqual([0, 0]);
    expect(await series('/registrations/charts/optouts.json?family=reason&', source.id, 'miscarriage')).toEqual([0, 0]);
    expect(await series('/registrations/charts/optouts.json?family=reason&', other.source.id, 'miscarriage')).toEqual([0, 1]);
    expect(await series('/registrations/charts/optouts.json?family=receiver_type&', other.source.id, 'mother_only')).toEqual([0, 1]);
  });

  it('show the changes and opt-outs panels with their series, unrecognised values in the data-quality panel only, and any series as CSV', async () => {
    const { org, source } = await buildSource();
    await saveConfig(org.id, { languages: ['eng_NG'] });
    const at = (day: number) => new Date(Date.UTC(2024, 4, day, 12));
    // The mother's newest registration (the one her opt-out is attributed to) is the mother_only one.
    await createRegistration(org.id, source, { stage: 'prebirth', motherId: MOTHER, data: prebirthData({ language: 'klingon' }) }, 'test', new Date(at(1).getTime() - 3600_000));
    await createRegistration(org.id, source, { stage: 'prebirth', motherId: MOTHER, data: prebirthData({ msg_receiver: 'mother_only', receiver_id: MOTHER }) }, 'test', at(1));
    await createChange(org.id, { motherId: MOTHER, action: 'change_language', data: { new_language: 'eng_NG' } }, 'test', source.id);
    await orgDb(org.id).registrationChange.updateMany({ data: { createdAt: at(2) } });
    await receiveOptout(org.id, { identity: MOTHER, reason: 'miscarriage', requestSource: 'ussd_public' }, at(2));
    await drainSlots('metrics');
    await drainSlots('metrics');
    const agent = app.agent();
    await agent.signIn((await buildUser(org, { role: 'viewer' })).email, TEST_PASSWORD);
    const host = agent.host(org.subdomain);
    const query = 'from=2024-05-01&to=2024-05-02&interval=1d';
    const json = async (path: string) => JSON.parse((await agent.get(host, `${path}?${query}`)).body);

    const changes = await json('/registrations/charts/changes.json');
    expect(changes.datasets.find((d: { label: string }) => d.label === 'Language')).toMatchObject({ data: [0, 1] });
    const reasons = JSON.parse((await agent.get(host, `/registrations/charts/optouts.json?family=reason&${query}`)).body);
    expect(reasons.datasets.find((d: { label: string }) => d.label === 'miscarriage')).toMatchObject({ data: [0, 1] });
    const sources = JSON.parse((await agent.get(host, `/registrations/charts/optouts.json?family=source&${query}`)).body);
    expect(sources.datasets.find((d: { label: string }) => d.label === 'ussd')).toMatchObject({ data: [0, 1] });

    const csv = await agent.get(host, `/registrations/charts/optouts.csv?family=receiver_type&${query}`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('optouts-receiver_type-2024-05-01-2024-05-02.csv');
    const [header, ...rows] = csv.body.trim().split('\n');
    expect(header!.split(',')[0]).toBe('Period');
    expect(rows[1]!.split(',')[header!.split(',').indexOf('mother_only')]).toBe('1');
    expect((await agent.get(host, `/registrations/charts/created.csv?${query}`)).body.trim().split('\n')).toEqual(['Period,Registrations,Running total', '2024-05-01,2,2', '2024-05-02,0,2']);

    const page = (await agent.get(host, `/registrations?${query}`)).body;
    for (const path of ['/registrations/charts/changes.json?', '/registrations/charts/optouts.json?family=msg_type&amp;', '/registrations/charts/breakdown.csv?family=language&amp;']) expect(page).toContain(path);
    expect(page).not.toContain('klingon');
    // One registration's language is not in the org's list: counted in the data-quality panel only.
    expect(page).toMatch(/data-unrecognised>[\s\S]*?Language<\/td><td class="text-end">1</);
    expect((await agent.get(host, `/registrations/charts/changes.csv?${query}`)).status).toBe(200);
    const outsider = app.agent();
    await outsider.signIn((await buildUser(await buildOrg(), { role: 'admin' })).email, TEST_PASSWORD);
    expect((await outsider.get(host, '/registrations/charts/optouts.csv?family=reason')).status).toBe(404);
  });

  it('recompute the metrics an admin chose, or all of them', async () => {
    const { org } = await buildSource();
    const agent = app.agent();
    await agent.signIn((await buildUser(org, { role: 'admin' })).email, TEST_PASSWORD);
    const host = agent.host(org.subdomain);
    expect((await agent.get(host, '/registrations')).body).toContain('<option value="optout.reason.other.total.last" selected>');
    const form = { mode: 'range', from: '2024-05-01', to: '2024-05-02', interval: '1d', retentions: '' };
    expect((await agent.post(host, '/registrations/recompute', { ...form, names: ['registrations.created.sum', 'optout.reason.other.sum'] })).status).toBe(303);
    expect((await agent.post(host, '/registrations/recompute', form)).status).toBe(303);
    const runs = await orgDb(org.id).metricJobRun.findMany({ where: { kind: 'recompute' }, orderBy: { createdAt: 'asc' } });
    expect(runs.map((r) => (r.params as { names: unknown }).names)).toEqual([['registrations.created.sum', 'optout.reason.other.sum'], 'all']);
    expect((await agent.post(host, '/registrations/recompute', { ...form, names: ['nonsense'] })).status).toBe(303);
    expect(await orgDb(org.id).metricJobRun.count({ where: { kind: 'recompute' } })).toBe(2);
  });

  it('shape stacked breakdowns and the created series with its right axis (static/js/charts/registrations-series.js)', () => {
    const breakdown = { labels: ['a'], stacked: true, datasets: [{ label: 'x', type: 'bar', data: [1] }, { label: 'y', type: 'bar', data: [2] }] };
    expect(toChartData(breakdown).datasets.map((d) => [d.label, d.yAxisID, Boolean(d.backgroundColor)])).toEqual([['x', 'y', true], ['y', 'y', true]]);
    expect(Object.keys(toScales(breakdown, false))).toEqual(['x', 'y']);
    expect(toScales(breakdown, false).y!.stacked).toBe(true);
    const created = { labels: ['a'], datasets: [{ label: 'n', type: 'bar', data: [1] }, { label: 't', type: 'line', data: [1], yAxisID: 'y1' }] };
    const scales = toScales(created, true);
    expect([scales.y!.stacked, scales.y!.position, scales.y1!.position]).toEqual([false, 'right', 'left']);
  });
});
