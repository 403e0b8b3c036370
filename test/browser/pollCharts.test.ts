import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Org, Poll, User } from '../../src/generated/prisma/client.js';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { type BrowserApp, overflowingElements, screenshot, scrollsSideways, startBrowserApp } from '../support/browser.js';

let app: BrowserApp;
let browser: Browser;
let sim: RunningSimulator;
let org: Org;
let poll: Poll;
let admin: User;
let persian: User;
let factories: typeof import('../support/factories.js');

beforeAll(async () => {
  app = await startBrowserApp();
  browser = app.browser;
  factories = await import('../support/factories.js');
  const { startTestSimulator } = await import('../rapidpro/support.js');
  const { dashboardOrg } = await import('../dashboard/pollChartsSupport.js');
  const { db } = await import('../../src/db/client.js');
  // History up to today, so the date choices of the filter form find poll runs.
  sim = await startTestSimulator({ contacts: 150, weeks: 16, activity: false, now: new Date().toISOString() });
  ({ org } = await dashboardOrg(sim));
  await db().org.update({ where: { id: org.id }, data: { languages: ['en', 'fa'] } });
  poll = await db().poll.findFirstOrThrow({ where: { orgId: org.id, rapidproName: 'Weekly School Poll' } });
  admin = await factories.buildUser(org, { role: 'admin' });
  persian = await factories.buildUser(org, { role: 'admin', language: 'fa' });
}, 180_000);

afterAll(async () => {
  await sim?.close();
  await app?.close();
});

const url = (path: string) => app.url(org.subdomain, path);
const FILTERS = 'dateRange=12-months&contact_gender=ale';

async function signIn(user: User, width: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.goto(url('/login'));
  await page.fill('#f-email', user.email);
  await page.fill('#f-password', factories.TEST_PASSWORD);
  await Promise.all([page.waitForURL(url('/')), page.click('button[type=submit]')]);
  return page;
}

/**
 * Names what sticks out of the viewport inside the page's content (wide tables scroll in their own box,
 * Leaflet's layers are clipped by the map's). The navigation bar is the layout's concern, checked by
 * test/browser/layout.test.ts.
 */
function contentOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('main *')]
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return (box.right > width + 1 || box.left < -1) && !el.closest('.table-responsive, .collapse:not(.show), [hidden], .leaflet-container');
      })
      .slice(0, 8)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${Math.round(el.getBoundingClientRect().left)}–${Math.round(el.getBoundingClientRect().right)})`);
  });
}

/** Waits for every chart figure to be drawn and tells which canvases stayed blank. */
async function blankCanvases(page: Page): Promise<string[]> {
  await page.waitForFunction(() => [...document.querySelectorAll('figure[data-chart]')].every((f) => (f as HTMLElement).dataset.ready === 'true' || f.classList.contains('chart-failed')));
  // The word cloud lays its words out after the first frame.
  await page.waitForTimeout(500);
  return page.evaluate(() => [...document.querySelectorAll('figure[data-chart] canvas')]
    .filter((canvas) => {
      const c = canvas as HTMLCanvasElement;
      const pixels = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      return !pixels.some((value, i) => i % 4 === 3 && value > 0);
    })
    .map((canvas) => canvas.closest('figure')!.getAttribute('data-chart')!));
}

describe('poll charts in Chromium', () => {
  it('draws every chart type and the map, and a click on a point opens its poll run with the filters kept', async () => {
    const page = await signIn(admin, 1280);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url(`/polls/${poll.id}?${FILTERS}`));
    const kinds = await page.$$eval('figure[data-chart]', (figures) => figures.map((f) => f.getAttribute('data-chart')));
    expect(new Set(kinds)).toEqual(new Set(['numeric', 'categorical', 'wordcloud', 'map']));
    expect(await blankCanvases(page)).toEqual([]);
    expect(await page.$$eval('figure.chart-failed', (f) => f.length)).toBe(0);
    expect(await page.locator('figure[data-chart=wordcloud] table th button').count()).toBe(2);
    expect(await page.locator('figure[data-chart=numeric] table tbody tr').count()).toBeGreaterThan(0);

    // The numeric display switches in place and lands in the URL.
    await page.selectOption('#f-numeric', 'average');
    await page.waitForURL(/numeric=average/);
    expect(await page.locator('[data-numeric-label]').first().innerText()).toBe('Average');

    // The map tab draws the boundaries.
    const mapTab = page.locator('button[id^=map-tab-]').first();
    await mapTab.click();
    await page.waitForSelector('figure[data-chart=map][data-drawn=true] path.leaflet-interactive');
    const fills = await page.$$eval('figure[data-chart=map] path.leaflet-interactive', (paths) => paths.map((p) => p.getAttribute('fill')));
    expect(fills.length).toBeGreaterThan(0);
    expect(fills.some((fill) => fill !== '#c2aa7e')).toBe(true);
    expect(await page.locator('.map-legend div').count()).toBeGreaterThan(1);
    expect(await page.locator('.leaflet-control-zoom-fullscreen, .leaflet-control-fullscreen, [class*=fullscreen]').count()).toBeGreaterThan(0);
    await screenshot(page, 'poll-charts-1280');
    await page.locator('button[id^=chart-tab-]').first().click();

    // A click on the first point of the numeric chart opens that poll run, filters kept.
    const canvas = page.locator('figure[data-chart=numeric] canvas').first();
    await canvas.scrollIntoViewIfNeeded();
    const point = await canvas.evaluate((c) => {
      const chart = (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): { getDatasetMeta(i: number): { data: { x: number; y: number }[] } } } }).Chart.getChart(c as HTMLCanvasElement)!;
      const { x, y } = chart.getDatasetMeta(0).data[0]!;
      return { x, y };
    });
    const box = (await canvas.boundingBox())!;
    await Promise.all([page.waitForURL(/\/pollruns\/\d+\?/), page.mouse.click(box.x + point.x, box.y + point.y)]);
    const opened = new URL(page.url());
    expect(opened.searchParams.get('contact_gender')).toBe('ale');
    expect(opened.searchParams.get('region')).toBe('all');

    // The poll run's summary: histogram bars, a pie and a word cloud.
    const runKinds = await page.$$eval('figure[data-chart]', (figures) => figures.map((f) => f.getAttribute('data-chart')));
    expect(new Set(runKinds)).toEqual(new Set(['bar', 'pie', 'wordcloud', 'map']));
    expect(await blankCanvases(page)).toEqual([]);
    expect(await page.locator('.nav-tabs .nav-link.active').first().innerText()).toBe('Summary');
    await screenshot(page, 'pollrun-summary-1280');

    // The Map tab draws every question with map data at once, filters kept.
    await Promise.all([page.waitForURL(/\/pollruns\/\d+\/map\?/), page.click('.nav-tabs a.nav-link[href*="/map?"]')]);
    expect(new URL(page.url()).searchParams.get('contact_gender')).toBe('ale');
    await page.waitForSelector('figure[data-chart=map][data-drawn=true] path.leaflet-interactive');
    expect(await page.locator('figure[data-chart=map]').count()).toBeGreaterThan(0);
    expect(await page.locator('figure[data-chart=map] .chart-table table tbody tr').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  for (const [who, width] of [['en', 1280], ['en', 375], ['fa', 375], ['fa', 1280]] as const) {
    it(`fits ${width} px${who === 'fa' ? ' right to left' : ''} with no sideways scroll`, async () => {
      const page = await signIn(who === 'fa' ? persian : admin, width);
      await page.goto(url(`/polls/${poll.id}?${FILTERS}`));
      expect(await page.getAttribute('html', 'dir')).toBe(who === 'fa' ? 'rtl' : 'ltr');
      expect(await blankCanvases(page)).toEqual([]);
      expect(await page.$$eval('figure.chart-failed', (failed) => failed.map((f) => f.getAttribute('data-chart')))).toEqual([]);
      expect(await contentOverflow(page)).toEqual([]);
      expect(await scrollsSideways(page), (await overflowingElements(page)).join(', ')).toBe(false);
      if (width === 375) {
        // The filters fold behind a button on phones.
        expect(await page.locator('#chart-filters').isVisible()).toBe(false);
        await page.click('button[data-bs-target="#chart-filters"]');
        await page.waitForSelector('#chart-filters.show');
        expect(await scrollsSideways(page)).toBe(false);
      }
      await screenshot(page, `poll-charts-${who}-${width}`);
      const run = await page.locator('figure[data-chart=numeric] table a').first().getAttribute('href');
      await page.goto(url(run!));
      expect(await blankCanvases(page)).toEqual([]);
      expect(await contentOverflow(page)).toEqual([]);
      expect(await scrollsSideways(page), (await overflowingElements(page)).join(', ')).toBe(false);
      await screenshot(page, `pollrun-summary-${who}-${width}`);
      await page.goto(url(run!.replace(/^(\/pollruns\/\d+)/, '$1/map')));
      await page.waitForSelector('figure[data-chart=map][data-drawn=true]');
      expect(await contentOverflow(page)).toEqual([]);
      expect(await scrollsSideways(page), (await overflowingElements(page)).join(', ')).toBe(false);
      await screenshot(page, `pollrun-map-${who}-${width}`);
      await page.close();
    });
  }
});
