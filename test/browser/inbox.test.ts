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

const url = (sub: string, path = '/') => app.url(sub, path);

const LONG = 'Habari, the water point near the school has been broken since Monday and the children walk three kilometres to fetch water before classes begin';

/** An org in Persian with a contact who wrote in, a reply, messages to a poll run's participants, and completions. */
async function setup() {
  const { db } = await import('../../src/db/client.js');
  const { withPgTransaction } = await import('../../src/db/pool.js');
  const { applyInboxPage } = await import('../../src/db/inbox.js');
  const org = await factories.buildOrg({ languages: ['en', 'fa'], defaultLanguage: 'fa' });
  const user = await factories.buildUser(org, { role: 'admin' });
  const north = await db().region.create({ data: { orgId: org.id, uuid: `north-${org.id}`, name: 'North region with a rather long name' } });
  const contacts = await Promise.all([0, 1, 2, 3].map((i) => db().contact.create({
    data: { orgId: org.id, uuid: `c${i}-${org.id}`, name: `Contact number ${i} with a long name`, urn: `tel:+25078812345${i}`, regionId: north.id, language: 'kin' },
  })));
  contacts.sort((a, b) => a.id - b.id);
  const now = Date.now();
  await withPgTransaction((client) => applyInboxPage(client, org.id, contacts.flatMap((c, i) => [
    { rapidproKey: String(7_000_000 + org.id * 10 + i * 2), contactUuid: c.uuid, text: LONG, direction: 'i' as const, visibility: 'visible', status: 'handled', createdOn: new Date(now - (5 + i) * 3600_000), sentOn: null, modifiedOn: null },
    { rapidproKey: String(7_000_001 + org.id * 10 + i * 2), contactUuid: c.uuid, text: `Thank you, a mechanic is on the way ${'—'.repeat(i)}`, direction: 'o' as const, visibility: 'visible', status: 'delivered', createdOn: new Date(now - (4 + i) * 3600_000), sentOn: new Date(now - (4 + i) * 3600_000), modifiedOn: null },
  ])));
  const poll = await db().poll.create({ data: { orgId: org.id, flowUuid: `flow-${org.id}`, rapidproName: 'Attendance with a long flow name', isActive: true } });
  const start = new Date(now - 3 * 24 * 3600_000);
  const run = await db().pollRun.create({ data: { orgId: org.id, pollId: poll.id, type: 'regional', regionId: north.id, conductedOn: start } });
  for (const [i, c] of contacts.entries()) {
    const completedOn = i < 3 ? new Date(start.getTime() + (i * 20 + 2) * 3600_000) : null;
    await db().response.create({ data: { orgId: org.id, pollRunId: run.id, pollId: poll.id, contactId: c.id, createdOn: start, updatedOn: start, status: completedOn ? 'C' : 'E', completedOn, regionId: north.id, contactCounted: true } });
  }
  for (let k = 0; k < 3; k++) {
    const message = await db().message.create({
      data: { orgId: org.id, sentById: user.id, text: `${LONG} (${k})`, pollRunId: run.id, recipientGroup: 'non_respondents', regionId: north.id, status: 'sent', recipientCount: 4, sentAt: new Date(start.getTime() + (10 + k * 24) * 3600_000) },
    });
    await db().messageRecipient.createMany({ data: contacts.map((c) => ({ orgId: org.id, messageId: message.id, contactId: c.id })) });
    await db().messageBatch.create({ data: { orgId: org.id, messageId: message.id, batchNo: 1, contactUuids: contacts.map((c) => c.uuid), rapidproBroadcastId: `b-${message.id}`, rapidproStatus: 'completed', sentAt: message.sentAt } });
  }
  return { org, user, contacts, run };
}

describe('messages and the inbox in Chromium', () => {
  it('fit a 375 px screen right to left: the inbox, a conversation, the message log and the reminders chart', async () => {
    const s = await setup();
    const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    await page.goto(url(s.org.subdomain, '/login'));
    await page.fill('#f-email', s.user.email);
    await page.fill('#f-password', factories.TEST_PASSWORD);
    await Promise.all([page.waitForURL(url(s.org.subdomain, '/')), page.click('button[type=submit]')]);
    const paths = ['/inbox', `/inbox/${s.contacts[0]!.id}`, '/messages', `/contacts/${s.contacts[1]!.id}/messages`, `/pollruns/${s.run.id}/participation`];
    for (const path of paths) {
      const response = await page.goto(url(s.org.subdomain, path));
      expect(response?.status(), path).toBe(200);
      expect(await page.getAttribute('html', 'dir'), path).toBe('rtl');
      expect(await scrollsSideways(page), `${path}: ${(await overflowingElements(page)).join(', ')}`).toBe(false);
    }
    await page.goto(url(s.org.subdomain, '/inbox'));
    await screenshot(page, 'inbox-fa-375');
    await page.goto(url(s.org.subdomain, `/inbox/${s.contacts[0]!.id}`));
    await screenshot(page, 'conversation-fa-375');
    await page.goto(url(s.org.subdomain, '/messages'));
    await screenshot(page, 'messages-fa-375');

    // The effect of reminders: a drawn canvas and its data table, without sideways scroll.
    await page.goto(url(s.org.subdomain, `/pollruns/${s.run.id}/participation`));
    await page.waitForSelector('figure[data-chart=reminders][data-ready=true]');
    const drawn = await page.evaluate(() => {
      const canvas = document.querySelector('figure[data-chart=reminders] canvas') as HTMLCanvasElement;
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      return pixels.some((value, i) => i % 4 === 3 && value > 0);
    });
    expect(drawn).toBe(true);
    // Three days since the start: every sixth hour from 0 to 72, and the hours of the three messages.
    expect(await page.locator('figure[data-chart=reminders] table tbody tr').count()).toBe(13 + 3);
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'reminders-fa-375');
    await page.close();
  });

  it('disables the reply button once clicked, so a double click sends once', async () => {
    const s = await setup();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url(s.org.subdomain, '/login'));
    await page.fill('#f-email', s.user.email);
    await page.fill('#f-password', factories.TEST_PASSWORD);
    await Promise.all([page.waitForURL(url(s.org.subdomain, '/')), page.click('button[type=submit]')]);
    const path = `/inbox/${s.contacts[0]!.id}`;
    await page.goto(url(s.org.subdomain, path));
    // Hold the reply's POST, to look at the page while it is on its way.
    let posts = 0;
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(`**${path}`, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      posts++;
      await held;
      await route.abort();
    });
    await page.fill('#f-text', 'On our way');
    // A double click (clicks dispatched in the page: Playwright would wait for the held navigation).
    const state = await page.evaluate(() => {
      const button = document.querySelector('form[data-send-once] button[type=submit]') as HTMLButtonElement;
      button.click();
      button.click();
      (button.form as HTMLFormElement).requestSubmit();
      return { disabled: button.disabled, label: button.textContent };
    });
    expect(state.disabled).toBe(true);
    await page.waitForTimeout(300);
    expect(posts).toBe(1);
    release();
    await page.close();
  });
});
