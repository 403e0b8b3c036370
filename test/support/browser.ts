import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const SCREENSHOTS = path.resolve('test-results/screenshots');

/**
 * Launches Debian's Chromium headless (never a downloaded browser).
 * @returns the browser.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A free TCP port on loopback, so the app can know its own base host before it starts.
 * @returns the port.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The app listening on a free port under its own base host, and Chromium to open it. */
export interface BrowserApp {
  browser: Browser;
  /** The address of a path on an org's subdomain, or on the bare host (null). */
  url: (subdomain: string | null, path?: string) => string;
  close: () => Promise<void>;
}

/**
 * Starts the web app on a free port and launches Chromium. The app reads BASE_HOST once, on first
 * use: call this before importing anything that does (the factories, say).
 * @returns the app and the browser.
 */
export async function startBrowserApp(): Promise<BrowserApp> {
  const port = await freePort();
  process.env.BASE_HOST = `tracpro.localhost:${port}`;
  const { createApp } = await import('../../src/web/app.js');
  const { createLogger } = await import('../../src/logger.js');
  const server = await new Promise<Server>((resolve) => {
    const s = createApp(createLogger()).listen(port, '127.0.0.1', () => resolve(s));
  });
  const browser = await launchChromium();
  return {
    browser,
    url: (subdomain, path = '/') => `http://${subdomain ? `${subdomain}.` : ''}tracpro.localhost:${port}${path}`,
    close: async () => {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Saves a full-page screenshot under test-results/screenshots (git-ignored), for people to look at,
 * when SCREENSHOTS=1. Off by default: a full-page capture re-lays the page out at its whole height,
 * and on a loaded CI machine one stalled past its timeout and left the page unresponsive for the
 * test's next step. It asserts nothing, so a capture that stalls is reported and skipped.
 * @param page the page.
 * @param name file name without extension.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  try {
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true, timeout: 15_000 });
  } catch (error) {
    if ((error as Error).name !== 'TimeoutError') throw error;
    console.warn(`screenshot ${name} skipped: ${(error as Error).message.split('\n')[0]}`);
  }
}

/**
 * Tells whether the page scrolls sideways (it must not: wide tables scroll in their own box).
 * @param page the page.
 * @returns true when the document is wider than the viewport.
 */
export function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
}

/**
 * Names the elements that stick out of the viewport, to say why a page scrolls sideways.
 * @param page the page.
 * @returns up to eight "tag.class (left–right)" descriptions, then the document and body widths.
 */
export function overflowingElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const sizes = `doc ${document.documentElement.scrollWidth}/${width} body ${document.body.scrollWidth}`;
    return [...document.querySelectorAll('body *')]
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return (box.right > width + 1 || box.left < -1) && !el.closest('.table-responsive, .dropdown-menu, .collapse:not(.show)');
      })
      .slice(0, 8)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${Math.round(el.getBoundingClientRect().left)}–${Math.round(el.getBoundingClientRect().right)})`)
      .concat(sizes);
  });
}
