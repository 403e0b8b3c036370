import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserApp, overflowingElements, screenshot, scrollsSideways, startBrowserApp } from '../support/browser.js';

let app: BrowserApp;
let browser: Browser;
let factories: typeof import('../support/factories.js');
let fixtures: typeof import('../exports/support.js');

beforeAll(async () => {
  app = await startBrowserApp();
  browser = app.browser;
  factories = await import('../support/factories.js');
  fixtures = await import('../exports/support.js');
});

afterAll(async () => {
  await app?.close();
});

const url = (sub: string, path = '/') => app.url(sub, path);

/** A poll run with many long questions and answers: its responses table is much wider than a phone. */
async function wideOrg() {
  const { db } = await import('../../src/db/client.js');
  const s = await fixtures.buildDashboardOrg();
  for (let i = 0; i < 10; i++) {
    await db().question.create({ data: { orgId: s.org.id, pollId: s.poll.id, key: `extra_${i}`, rapidproName: `How many learners attended the session number ${i} this week?`, type: 'open', flowOrder: 10 + i } });
  }
  const run = await fixtures.buildDayOfRuns(s);
  const extra = await db().question.findMany({ where: { orgId: s.org.id, key: { startsWith: 'extra_' } } });
  const response = await db().response.findFirstOrThrow({ where: { pollRunId: run.id, contactId: s.contacts.cat.id, isActive: true } });
  await db().answer.createMany({
    data: extra.map((q) => ({
      orgId: s.org.id, responseId: response.id, questionId: q.id, contactId: s.contacts.cat.id, pollRunId: run.id,
      value: 'A rather long answer that keeps going well past the width of a small screen', submittedOn: response.updatedOn,
      localDay: response.updatedOn, lastValue: 'x', sumValue: 'x', regionId: s.north.id, counted: true,
    })),
  });
  const user = await factories.buildUser(s.org, { role: 'admin' });
  return { s, run, user };
}

async function signIn(page: Page, subdomain: string, email: string) {
  await page.goto(url(subdomain, '/login'));
  await page.fill('#f-email', email);
  await page.fill('#f-password', factories.TEST_PASSWORD);
  await Promise.all([page.waitForURL(url(subdomain, '/')), page.click('button[type=submit]')]);
}

async function expectFits(page: Page, subdomain: string, paths: string[], shot: string) {
  for (const path of paths) {
    const response = await page.goto(url(subdomain, path));
    expect(response?.status(), path).toBe(200);
    const sideways = await scrollsSideways(page);
    if (sideways) await screenshot(page, `${shot}-overflow`);
    expect(sideways, `${path}: ${(await overflowingElements(page)).join(', ')}`).toBe(false);
  }
  await screenshot(page, shot);
}

describe('poll-run pages in Chromium', () => {
  it('fit 1280 px and 375 px, left to right and right to left, with the wide responses table scrolling in its own box', async () => {
    const { s, run, user } = await wideOrg();
    const paths = ['/polls', '/pollruns', `/polls/${s.poll.id}/pollruns`, `/pollruns/${run.id}/participation`, `/pollruns/${run.id}/participation?groupBy=region`, `/pollruns/${run.id}/responses`, `/pollruns/${run.id}/map`, '/participation'];
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, s.org.subdomain, user.email);
    await expectFits(page, s.org.subdomain, paths, 'participation-1280');
    // The responses table is wider than its box, which scrolls; the page does not.
    await page.goto(url(s.org.subdomain, `/pollruns/${run.id}/responses`));
    const box = await page.evaluate(() => {
      const wrapper = document.querySelector('.table-responsive')!;
      return { scroll: wrapper.scrollWidth, client: wrapper.clientWidth };
    });
    expect(box.scroll).toBeGreaterThan(box.client);
    expect(await page.locator('audio').count()).toBe(1);

    await page.setViewportSize({ width: 375, height: 740 });
    await expectFits(page, s.org.subdomain, paths, 'participation-375');
    await page.goto(url(s.org.subdomain, `/pollruns/${run.id}/responses`));
    await screenshot(page, 'pollrun-responses-375');
    await page.goto(url(s.org.subdomain, `/pollruns/${run.id}/participation`));
    await screenshot(page, 'pollrun-participation-375');

    await page.selectOption('#language-select', 'fa');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await expectFits(page, s.org.subdomain, paths, 'participation-fa-375');
    await page.goto(url(s.org.subdomain, `/pollruns/${run.id}/responses`));
    await screenshot(page, 'pollrun-responses-fa-375');
    await page.setViewportSize({ width: 1280, height: 800 });
    await expectFits(page, s.org.subdomain, paths, 'participation-fa-1280');
    await page.goto(url(s.org.subdomain, `/pollruns/${run.id}/responses`));
    await screenshot(page, 'pollrun-responses-fa-1280');
    await page.close();
  });

  it('follows a large export to its download link', async () => {
    const { s, run, user } = await wideOrg();
    const { startExport } = await import('../../src/exports/exportStarter.js');
    const { getQueue } = await import('../../src/jobs/queues.js');
    const { exportTask } = await import('../../src/jobs/tasks/ExportTask.js');
    const id = await startExport(s.org.id, {
      kind: 'pollrun-responses', params: { pollRunId: run.id, regionIds: [s.north.id, s.northOne.id, s.south.id] }, requestedById: user.id, estimatedRows: 4,
    });
    await (await getQueue('default').getJob(exportTask.jobId(id)))?.remove();
    const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    await signIn(page, s.org.subdomain, user.email);
    await page.goto(url(s.org.subdomain, `/exports/${id}`));
    expect(await page.locator('[data-field="download"]').isHidden()).toBe(true);
    await exportTask.perform({ orgId: s.org.id, exportId: id });
    await page.waitForSelector('[data-field="download"]:not(.d-none)');
    expect(await page.locator('[data-field="bar"]').getAttribute('aria-valuenow')).toBe('100');
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'export-done-375');
    await page.close();
  });
});
