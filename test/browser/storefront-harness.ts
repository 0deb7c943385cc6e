import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { AppConfig, loadAppConfig } from '../../apps/api/src/config/app-config';
import { createTestDatabase, TestDatabase } from '../support/backends';
import { createTestApp, TEST_ADMIN_API_KEY, TestApp } from '../support/create-test-app';
import { uniqueSku } from '../support/unique';

/** Fresh screenshots of every storefront screen on every run (git-ignored; docs/screenshots holds the chosen ones). */
export const SCREENSHOTS = join(__dirname, '..', '..', 'artifacts', 'screenshots');
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export interface RunningStore {
  testApp: TestApp;
  database: TestDatabase;
  url: string;
}

/** The app on PGlite, listening on a free port; `reservations` and `auth` override the defaults (sweep every second). */
export async function startStore(overrides: { reservations?: Partial<AppConfig['reservations']>; auth?: Partial<AppConfig['auth']> } = {}) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const base = loadAppConfig({ ADMIN_API_KEY: TEST_ADMIN_API_KEY });
  const database = await createTestDatabase('pglite');
  const testApp = await createTestApp(database.config, {
    reservations: { ...base.reservations, sweepIntervalSeconds: 1, ...overrides.reservations },
    auth: { ...base.auth, ...overrides.auth },
  });
  await testApp.app.listen(0, '127.0.0.1');
  return { testApp, database, url: await testApp.app.getUrl() } satisfies RunningStore;
}

export async function stopStore(running: RunningStore | undefined): Promise<void> {
  await running?.testApp.app.close();
  await running?.database.dispose();
}

/** The REST API as an operator calls it (the test ADMIN_API_KEY unless another key is given). */
export async function api<T = any>(
  running: RunningStore,
  method: string,
  path: string,
  body?: unknown,
  key: string = TEST_ADMIN_API_KEY,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${running.url}/api/v1${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

export async function createSku(running: RunningStore, totalQuantity: number, productName: string): Promise<string> {
  const sku = uniqueSku('SF');
  const created = await api(running, 'POST', '/admin/inventory', { sku, productName, totalQuantity });
  if (created.status !== 201) throw new Error(`creating ${sku}: ${created.status} ${JSON.stringify(created.body)}`);
  return sku;
}

/** Counters of a SKU and whether they agree with its holds and ledger. */
export async function reconcile(running: RunningStore, sku: string) {
  return (await api(running, 'GET', `/admin/inventory/${sku}/reconcile`)).body.data;
}

/** The part of the browser's Storage the init script uses (the tests compile without the DOM library). */
interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface StoreOptions {
  /** The shop's product list, as if saved under "Shop settings" (localStorage) before the page loads. */
  skus?: string[];
  /** The console's operator key in this tab (sessionStorage 'irs.apiKey'), as after signing in to Operations. */
  operatorKey?: string;
  viewport?: { width: number; height: number };
}

/** A new browser tab (own storage) on the storefront. */
export async function openStore(browser: Browser, running: RunningStore, options: StoreOptions = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: options.viewport ?? DESKTOP });
  // Runs before the page's own scripts, through the DevTools protocol (not an inline script: the CSP still holds).
  await page.addInitScript(
    ({ skus, operatorKey }) => {
      const w = globalThis as unknown as { localStorage: KeyValueStore; sessionStorage: KeyValueStore };
      if (skus && w.localStorage.getItem('irs.store.skus') === null) w.localStorage.setItem('irs.store.skus', JSON.stringify(skus));
      if (operatorKey) w.sessionStorage.setItem('irs.apiKey', operatorKey);
    },
    { skus: options.skus, operatorKey: options.operatorKey },
  );
  await page.goto(running.url);
  return page;
}

/**
 * Problems the page reported: console errors (CSP violations included) and uncaught exceptions. The page has no
 * icon; the 404 of the /favicon.ico Chromium asks for anyway is not one.
 */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    const url = message.location().url;
    if (message.type() === 'error' && !url.endsWith('/favicon.ico')) problems.push(`${message.text()} (${url})`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

/** Screenshots of the page as it is, at desktop and at phone width (`<name>-desktop.png`, `<name>-phone.png`). */
export async function screenshotBoth(page: Page, name: string): Promise<void> {
  const viewport = page.viewportSize() ?? DESKTOP;
  for (const [width, size] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(SCREENSHOTS, `storefront-${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(viewport);
}

export const productCard = (page: Page, sku: string) => page.locator(`#product-grid li[data-sku="${sku}"]`);
export const cartLine = (page: Page, sku: string) => page.locator(`#cart-lines li[data-sku="${sku}"]`);
export const heldLine = (page: Page, sku: string) => page.locator(`#hold-lines li[data-sku="${sku}"]`);
