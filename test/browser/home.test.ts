import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserApp, overflowingElements, screenshot, scrollsSideways, startBrowserApp } from '../support/browser.js';

let app: BrowserApp;
let browser: Browser;
let factories: typeof import('../support/factories.js');
let home: typeof import('../home/support.js');

beforeAll(async () => {
  app = await startBrowserApp();
  browser = app.browser;
  factories = await import('../support/factories.js');
  home = await import('../home/support.js');
});

afterAll(async () => {
  await app?.close();
});

const url = (sub: string, path = '/') => app.url(sub, path);

/** An org in Persian with long names, several polls and poll runs, and recent responses. */
async function busyPersianOrg() {
  const s = await home.homeOrg({ languages: ['en', 'fa'], defaultLanguage: 'fa' });
  const { orgDb } = await import('../../src/tenancy/orgDb.js');
  const long = await orgDb(s.org.id).region.create({ data: { orgId: s.org.id, uuid: `long-${s.org.id}`, name: 'A region with a rather long name indeed' } });
  for (const [i, name] of ['Attendance and wellbeing of pupils in primary schools', 'Water points', 'Monthly teacher survey'].entries()) {
    const poll = await home.pollNamed(s.org, name);
    const run = await home.pollRun(s.org, poll.id, i ? 'universal' : 'propagated', i ? null : long.id, home.daysAgo(3 + i));
    for (const [regionId, status] of [[s.north.id, 'C'], [long.id, 'P'], [s.south.id, 'E']] as const) {
      await home.respond(run, await home.contactIn(s.org, regionId, [s.teachers.id]), status, home.daysAgo(1 + i));
    }
  }
  return s;
}

async function signIn(page: Page, subdomain: string, email: string) {
  await page.goto(url(subdomain, '/login'));
  await page.fill('#f-email', email);
  await page.fill('#f-password', factories.TEST_PASSWORD);
  await Promise.all([page.waitForURL(url(subdomain, '/')), page.click('button[type=submit]')]);
}

describe('the home page in Chromium', () => {
  it('fits a 375 px screen right to left (fa) and at 1280 px, with no sideways scroll', async () => {
    const s = await busyPersianOrg();
    const user = await factories.buildUser(s.org, { role: 'admin' });
    const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    await signIn(page, s.org.subdomain, user.email);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await page.waitForSelector('figure[data-chart][data-ready=true]');
    expect(await page.locator('table[aria-labelledby="home-polls"] tbody tr').count()).toBe(4);
    expect(await scrollsSideways(page), (await overflowingElements(page)).join(', ')).toBe(false);
    await screenshot(page, 'home-busy-fa-375');
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await scrollsSideways(page), (await overflowingElements(page)).join(', ')).toBe(false);
    await screenshot(page, 'home-busy-fa-1280');
    await page.close();
  });

  it('refreshes the latest poll runs and the most active regions every 5 seconds', async () => {
    const s = await busyPersianOrg();
    const user = await factories.buildUser(s.org, { role: 'admin' });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, s.org.subdomain, user.email);
    const latest = page.locator('table[aria-labelledby="latest-runs"]');
    expect(await latest.locator('tbody tr').count()).toBe(3);
    const fresh = await home.pollRun(s.org, s.poll.id, 'universal', null, new Date());
    for (let i = 0; i < 4; i++) await home.respond(fresh, await home.contactIn(s.org, s.east.id), 'C', new Date());
    await page.waitForFunction(() => document.querySelectorAll('table[aria-labelledby="latest-runs"] tbody tr').length === 4, undefined, { timeout: 12_000 });
    const first = latest.locator('tbody tr').first();
    expect(await first.locator('a').first().getAttribute('href')).toBe(`/pollruns/${fresh.id}`);
    expect(await first.locator('td').nth(3).innerText()).toBe(new Intl.NumberFormat('fa').format(4));
    expect(await first.locator('a').nth(3).getAttribute('href')).toBe(`/pollruns/${fresh.id}/responses`);
    await page.waitForFunction(() => document.querySelector('table[aria-labelledby="active-regions"] tbody td')?.textContent === 'East', undefined, { timeout: 12_000 });
    expect(await scrollsSideways(page)).toBe(false);
    await page.close();
  });
});
