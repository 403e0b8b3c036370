import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserApp, overflowingElements, screenshot, scrollsSideways, startBrowserApp } from '../support/browser.js';

let app: BrowserApp;
let browser: Browser;
let factories: typeof import('../support/factories.js');

beforeAll(async () => {
  app = await startBrowserApp();
  browser = app.browser;
  factories = await import('../support/factories.js');
});

afterAll(async () => {
  await app?.close();
});

const url = (sub: string | null, path = '/') => app.url(sub, path);

describe('in Chromium', () => {
  it('signs in once on the base host and opens two orgs with that one session', async () => {
    const [orgA, orgB] = [await factories.buildOrg(), await factories.buildOrg()];
    const user = await factories.buildUser(orgA, { role: 'admin' });
    const { db } = await import('../../src/db/client.js');
    await db().orgMembership.create({ data: { orgId: orgB.id, userId: user.id, role: 'viewer' } });

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url(null, '/login'));
    await page.fill('#f-email', user.email);
    await page.fill('#f-password', factories.TEST_PASSWORD);
    await Promise.all([page.waitForURL(url(null, '/')), page.click('button[type=submit]')]);
    expect(await page.locator('main').innerText()).toContain(orgA.name);
    expect(await page.locator('main').innerText()).toContain(orgB.name);

    await page.goto(url(orgA.subdomain));
    expect(await page.locator('.navbar-brand').innerText()).toContain(orgA.name);
    // The chart plumbing: the module fetched JSON behind the page's guard and drew the canvas.
    await page.waitForSelector('figure[data-chart][data-ready=true]');
    const drawn = await page.evaluate(() => {
      const canvas = document.querySelector('figure[data-chart] canvas') as HTMLCanvasElement;
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      return pixels.some((value, i) => i % 4 === 3 && value > 0);
    });
    expect(drawn).toBe(true);
    expect(await page.locator('figure[data-chart] table').innerText()).toContain('Administrator');
    await screenshot(page, 'org-a-home-1280');

    await page.goto(url(orgB.subdomain));
    expect(await page.locator('.navbar-brand').innerText()).toContain(orgB.name);
    await page.close();
  });

  it('lays Persian out right to left, and fits a 375 px screen', async () => {
    const org = await factories.buildOrg({ languages: ['en', 'fa'], defaultLanguage: 'en' });
    const user = await factories.buildUser(org, { role: 'admin' });
    const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    await page.goto(url(org.subdomain, '/login'));
    await page.fill('#f-email', user.email);
    await page.fill('#f-password', factories.TEST_PASSWORD);
    await Promise.all([page.waitForURL(url(org.subdomain, '/')), page.click('button[type=submit]')]);
    expect(await scrollsSideways(page)).toBe(false);

    await page.selectOption('#language-select', 'fa');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.getAttribute('html', 'lang')).toBe('fa');
    const direction = await page.evaluate(() => getComputedStyle(document.body).direction);
    expect(direction).toBe('rtl');
    expect(await scrollsSideways(page)).toBe(false);
    await page.waitForSelector('figure[data-chart][data-ready=true]');
    await screenshot(page, 'home-fa-375');

    await page.goto(url(org.subdomain, '/users'));
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'users-fa-375');
    await page.close();
  });
});


describe('org setup and contact pages in Chromium', () => {
  it('fit a 375 px screen right to left, with no sideways scroll', async () => {
    const org = await factories.buildOrg({ languages: ['en', 'fa'], defaultLanguage: 'fa' });
    const user = await factories.buildUser(org, { role: 'admin' });
    const { orgDb } = await import('../../src/tenancy/orgDb.js');
    const north = await orgDb(org.id).region.create({ data: { orgId: org.id, uuid: `north-${org.id}`, name: 'North region with a rather long name' } });
    await orgDb(org.id).region.create({ data: { orgId: org.id, uuid: `n1-${org.id}`, name: 'N1', parentId: north.id } });
    const group = await orgDb(org.id).reporterGroup.create({ data: { orgId: org.id, uuid: `teachers-${org.id}`, name: 'Head teachers' } });
    for (let i = 0; i < 5; i++) {
      const contact = await orgDb(org.id).contact.create({
        data: { orgId: org.id, uuid: `c${i}-${org.id}`, name: `Contact number ${i} with a long name`, urn: `tel:+25078812345${i}`, regionId: north.id, language: 'kin' },
      });
      await orgDb(org.id).contactReporterGroup.create({ data: { orgId: org.id, contactId: contact.id, reporterGroupId: group.id } });
    }
    const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    await page.goto(url(org.subdomain, '/login'));
    await page.fill('#f-email', user.email);
    await page.fill('#f-password', factories.TEST_PASSWORD);
    await Promise.all([page.waitForURL(url(org.subdomain, '/')), page.click('button[type=submit]')]);
    for (const path of ['/org', '/org/edit', '/org/connection', '/org/sync', '/regions', '/regions?edit=1', '/groups', '/contacts', `/contacts/new`, '/users']) {
      const response = await page.goto(url(org.subdomain, path));
      expect(response?.status(), path).toBe(200);
      expect(await page.getAttribute('html', 'dir'), path).toBe('rtl');
      expect(await scrollsSideways(page), `${path}: ${(await overflowingElements(page)).join(', ')}`).toBe(false);
    }
    await page.goto(url(org.subdomain, '/regions?edit=1'));
    await screenshot(page, 'regions-edit-fa-375');
    await page.goto(url(org.subdomain, '/contacts'));
    await screenshot(page, 'contacts-fa-375');
    await page.close();
  });
});
