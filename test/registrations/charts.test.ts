import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistration } from '../../src/registrations/commands/registrationCreator.js';
import { saveConfig } from '../../src/registrations/config.js';
import { buildOrg, buildUser, TEST_PASSWORD } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildSource, MOTHER, prebirthData } from './support.js';

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
