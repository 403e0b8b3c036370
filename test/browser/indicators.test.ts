import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserApp, overflowingElements, screenshot, scrollsSideways, startBrowserApp } from '../support/browser.js';

let app: BrowserApp;
let browser: Browser;
let factories: typeof import('../support/factories.js');
let support: typeof import('../indicators/support.js');

beforeAll(async () => {
  app = await startBrowserApp();
  browser = app.browser;
  factories = await import('../support/factories.js');
  support = await import('../indicators/support.js');
});

afterAll(async () => {
  await app?.close();
});

const url = (sub: string, path = '/') => app.url(sub, path);

/** Waits for the indicator chart and tells whether its canvas has any painted pixel. */
async function chartDrawn(page: Page): Promise<boolean> {
  await page.waitForSelector('figure[data-chart=indicator][data-ready=true]');
  return page.evaluate(() => {
    const canvas = document.querySelector('figure[data-chart=indicator] canvas') as HTMLCanvasElement | null;
    if (!canvas || !canvas.width) return false;
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    return pixels.some((value, i) => i % 4 === 3 && value > 0);
  });
}

describe('an indicator in Chromium', () => {
  it('draws its chart with its data table at 375 px, in English and in Persian (right to left), without sideways scroll', async () => {
    const example = await support.workedExample({ languages: ['en', 'fa'], defaultLanguage: 'en' });
    const user = await factories.buildUser(example.org, { role: 'admin' });
    const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url(example.org.subdomain, '/login'));
    await page.fill('#f-email', user.email);
    await page.fill('#f-password', factories.TEST_PASSWORD);
    await Promise.all([page.waitForURL(url(example.org.subdomain, '/')), page.click('button[type=submit]')]);

    const path = `/indicators/${example.indicator.id}`;
    await page.goto(url(example.org.subdomain, `${path}?splitByRegion=on`));
    expect(await chartDrawn(page)).toBe(true);
    const table = await page.locator('figure[data-chart=indicator] table').innerText();
    for (const text of ['2024-01-10', 'Baseline', 'Follow up', 'North', '83']) expect(table).toContain(text);
    expect(await scrollsSideways(page), (await overflowingElements(page)).join(', ')).toBe(false);
    await screenshot(page, 'indicator-375');

    // The filter form: a custom range shows its dates; another choice hides them and leaves them out of the URL.
    // Opened by the filters in the URL.
    expect(await page.getAttribute('details.indicator-filters', 'open')).not.toBeNull();
    expect(await page.isVisible('#f-startDate')).toBe(true);
    await page.selectOption('#f-dateRange', '90-days');
    expect(await page.isVisible('#f-startDate')).toBe(false);
    await Promise.all([page.waitForURL(/dateRange=90-days/), page.click('details.indicator-filters button[type=submit]')]);
    expect(page.url()).not.toContain('startDate');
    expect(page.url()).not.toContain('goal=');

    await page.goto(url(example.org.subdomain, path));
    await page.selectOption('#language-select', 'fa');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    expect(await chartDrawn(page)).toBe(true);
    expect(await scrollsSideways(page), (await overflowingElements(page)).join(', ')).toBe(false);
    await screenshot(page, 'indicator-fa-375');

    // The home page features it (its term has answers in universal poll runs).
    await page.goto(url(example.org.subdomain, '/'));
    expect(await chartDrawn(page)).toBe(true);
    expect(await scrollsSideways(page), (await overflowingElements(page)).join(', ')).toBe(false);
    await screenshot(page, 'home-indicator-fa-375');

    // The form's question select follows the chosen poll.
    await page.goto(url(example.org.subdomain, '/indicators/new'));
    expect(await page.isVisible('#f-followUpQuestion')).toBe(false);
    await page.selectOption('#f-followUpPoll', String(example.followUp.poll.id));
    await page.waitForSelector(`#f-followUpQuestion option[value="${example.followUp.question.id}"]`, { state: 'attached' });
    expect(await page.isVisible('#f-followUpQuestion')).toBe(true);
    expect(await scrollsSideways(page), (await overflowingElements(page)).join(', ')).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });
});
