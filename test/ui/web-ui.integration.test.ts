/// <reference lib="dom" />
/**
 * The web UI in a real headless Chromium (Debian's, driven by playwright-core) against a real server on the served
 * sample: search, start a profile from a sentence, rate three movies and see the list change each time, open "why?",
 * open the map with the taste journey, and look at it on a phone's width. Screenshots go to out/screenshots/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webUiKey } from '../../src/auth/ui-key.js';
import { modelSource } from '../../src/encode/models.js';
import { RecommendationService } from '../../src/recommend/service.js';
import { buildServer, WEB_UI_DIR } from '../../src/server/app.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { REPO_ROOT } from '../support/paths.js';
import { servedSample } from '../support/served-sample.js';
import { fileTempDir } from '../support/tmp.js';

/** Debian's Chromium, as scripts/install-test-deps.sh installs it (REELSENSE_CHROMIUM to use another). */
const CHROMIUM = process.env.REELSENSE_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOTS = join(REPO_ROOT, 'out', 'screenshots');

const dir = fileTempDir();
let browser: Browser;
let store: Store;
let close: () => Promise<void>;
let uiUrl: string;

beforeAll(async () => {
  if (!existsSync(join(WEB_UI_DIR, 'index.html'))) throw new Error(`no web UI bundle in ${WEB_UI_DIR}: run \`npm run build\``);
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run scripts/install-test-deps.sh`);
  const served = await servedSample(dir());
  store = await openStore(served.db, { mustExist: true });
  const service = await RecommendationService.open(store, { artifacts: served.artifacts, models: modelSource({ models: served.models }) });
  const app = await buildServer({ context: { service, store } });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  uiUrl = `${url}/#key=${await webUiKey(store, served.artifacts)}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  mkdirSync(SCREENSHOTS, { recursive: true });
  close = async () => {
    await browser.close();
    await app.close();
    await store.close();
  };
}, 900_000);
afterAll(async () => close?.());

const titles = (page: Page, list: string) => page.locator(`${list} .card .title`).allTextContents();

/** Waits until the list's titles differ from `before` (the UI fetches it again after a rating). */
async function listChangedFrom(page: Page, list: string, before: string[]): Promise<string[]> {
  await expect.poll(async () => (await titles(page, list)).join('|'), { timeout: 30_000 }).not.toBe(before.join('|'));
  return titles(page, list);
}

describe('the web UI in Chromium', () => {
  it('searches, starts a profile, rates three movies and sees the list change, explains, and maps the journey', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(uiUrl);
    // The key moves from the address bar to storage.
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/');
    await page.getByRole('heading', { name: 'Start your profile' }).waitFor();

    // Search by keyboard alone: focus the box, type, Enter.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('search');
    await page.keyboard.type('a funny animated adventure');
    await page.keyboard.press('Enter');
    await page.locator('#search-results .card').first().waitFor();
    expect(await page.locator('#search-results .card .note').allTextContents()).toContain('close in meaning');
    await page.screenshot({ path: join(SCREENSHOTS, 'search.png') });

    await page.getByRole('link', { name: 'For you' }).click();
    await page.getByLabel('Describe the movies you like').fill('a funny animated adventure for the whole family');
    await page.getByRole('button', { name: 'Start from this sentence' }).click();
    await page.locator('#recommendations .card').first().waitFor();
    let shown = await titles(page, '#recommendations');
    expect(shown.length).toBeGreaterThanOrEqual(10);
    await page.screenshot({ path: join(SCREENSHOTS, 'start.png') });

    for (let rated = 1; rated <= 3; rated++) {
      const card = page.locator('#recommendations .card').first();
      const title = (await card.locator('.title').textContent())!;
      if (rated === 3) {
        // The third by keyboard: focus its 4-star button and press Enter.
        await card.getByRole('button', { name: '4 stars' }).focus();
        await page.keyboard.press('Enter');
      } else {
        await card.getByRole('button', { name: '5 stars' }).click();
      }
      shown = await listChangedFrom(page, '#recommendations', shown);
      expect(shown).not.toContain(title);
      await expect.poll(() => page.locator('#history li').count()).toBe(rated);
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'rated.png') });

    await page.locator('#recommendations .card').first().getByRole('button', { name: 'why?' }).click();
    const why = page.locator('.why').first();
    await why.locator('p').first().waitFor();
    expect(await why.textContent()).toMatch(/Pulled in by|Shares/);
    await page.screenshot({ path: join(SCREENSHOTS, 'why.png') });

    // λ towards diversity changes the list.
    const relevant = await titles(page, '#recommendations');
    await page.getByLabel('relevance to diversity (λ)').fill('0');
    await listChangedFrom(page, '#recommendations', relevant);

    await page.getByRole('link', { name: 'Map' }).click();
    const map = page.locator('#map');
    await expect.poll(async () => Number(await map.getAttribute('data-journey')), { timeout: 120_000 }).toBe(3);
    expect(Number(await map.getAttribute('data-movies'))).toBeGreaterThan(300);
    await map.locator('canvas').first().waitFor();
    await page.waitForTimeout(1000);
    await page.screenshot({ path: join(SCREENSHOTS, 'map.png') });

    // A movie page: its similar movies, rated from there.
    await page.goto(uiUrl.replace(/#.*$/, `#/movie/${(await store.listMovies())[0]!.movieId}`));
    await page.locator('#similar .card').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'movie.png') });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(uiUrl.replace(/#.*$/, '#/'));
    await page.locator('#recommendations .card').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'phone.png') });
    expect(errors).toEqual([]);
  });

  it('asks for a key when it has none, and takes a pasted one', async () => {
    const page = await browser.newPage();
    await page.goto(uiUrl.replace(/#.*$/, ''));
    await page.getByText('This page needs an API key').waitFor();
    await page.getByLabel('API key').fill(/#key=(\S+)$/.exec(uiUrl)![1]!);
    await page.getByRole('button', { name: 'Use this key' }).click();
    await page.getByRole('heading', { name: 'Start your profile' }).waitFor();
  });
});
