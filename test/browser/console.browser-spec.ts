import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { loadAppConfig } from '../../apps/api/src/config/app-config';
import { createTestDatabase, TestDatabase } from '../support/backends';
import { findChromium, launchChromium } from '../support/browser';
import { createTestApp, TEST_ADMIN_API_KEY, TestApp } from '../support/create-test-app';
import { expectText, expectTextContaining } from '../support/ui-expect';
import { uniqueSku } from '../support/unique';

/** Browser globals, used only inside page.evaluate (the tests' tsconfig has no DOM lib). */
declare const document: any, location: any, sessionStorage: any, localStorage: any, navigator: any, getComputedStyle: any;

const chromiumPath = findChromium();
if (!chromiumPath) console.warn('Browser tests skipped: no Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH)');
const describeInBrowser = chromiumPath ? describe : describe.skip;

const base = loadAppConfig({});
/** Fresh screenshots of the console on every run (git-ignored; docs/screenshots holds the chosen ones). */
const SCREENSHOTS = join(__dirname, '..', '..', 'artifacts', 'screenshots');

describeInBrowser('Operations console in Chromium (PGlite)', () => {
  let database: TestDatabase;
  let testApp: TestApp;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    database = await createTestDatabase('pglite');
    testApp = await createTestApp(database.config, { reservations: { ...base.reservations, ttlSeconds: 300 } });
    await testApp.app.listen(0, '127.0.0.1');
    url = await testApp.app.getUrl();
    browser = await launchChromium(chromiumPath!);
  });
  afterAll(async () => {
    await browser?.close();
    await testApp?.app.close();
    await database?.dispose();
  });

  async function api<T = any>(
    method: string,
    path: string,
    body?: unknown,
    key = TEST_ADMIN_API_KEY,
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }
  const createSku = async (total: number, extra: Record<string, unknown> = {}, name = 'Desk Lamp') => {
    const sku = uniqueSku('CON');
    expect((await api('POST', '/admin/inventory', { sku, productName: name, totalQuantity: total, ...extra })).status).toBe(201);
    return sku;
  };
  const reserve = async (sku: string, quantity: number, userId = 'shopper-1') => {
    const response = await api('POST', '/inventory/reserve', { sku, userId, quantity });
    expect(response.status).toBe(201);
    return response.body.data.reservationId as string;
  };
  const createKey = async (scopes: string[]) =>
    (await api('POST', '/admin/api-keys', { name: `console test ${uniqueSku('K')}`, scopes })).body.data as { id: string; key: string };

  const signIn = async (key = TEST_ADMIN_API_KEY, hash = '', viewport = { width: 1280, height: 900 }): Promise<Page> => {
    const page = await browser.newPage({ viewport });
    await page.goto(`${url}/console.html${hash}`);
    await page.getByLabel('API key', { exact: true }).fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#console-bar').waitFor({ state: 'visible' });
    return page;
  };
  const stockRow = (page: Page, sku: string) => page.locator(`#stock-table tbody tr[data-sku="${sku}"]`);

  it('should refuse an unknown key at sign-in and keep a good one in sessionStorage only, never in the URL', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}/console`);
    expect(page.url()).toBe(`${url}/console.html`);
    await page.getByLabel('API key', { exact: true }).fill('irs_not-a-real-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectTextContaining(page.locator('#signin-message'), 'unknown or revoked');
    expect(await page.locator('#console-bar').isHidden()).toBe(true);

    await page.getByLabel('API key', { exact: true }).fill(TEST_ADMIN_API_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.locator('#console-message'), 'Signed in.');
    expect(page.url()).not.toContain(TEST_ADMIN_API_KEY);
    expect(await page.evaluate(() => sessionStorage.getItem('irs.apiKey'))).toBe(TEST_ADMIN_API_KEY);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#view-signin').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => sessionStorage.getItem('irs.apiKey'))).toBeNull();
    await page.close();
  });

  it('should say which scope a key lacks (403) in each part it cannot use', async () => {
    const { key } = await createKey(['webhooks:write']);
    const page = await signIn(key);
    await expectText(page.locator('#console-message'), 'This key lacks the scope "inventory:read" needed here.', 10_000);
    await page.getByRole('link', { name: 'API keys' }).click();
    await expectText(page.locator('#keys-table tbody td').first(), 'This key lacks the scope "keys:write" needed here.');
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await expectText(page.locator('#hooks-table tbody td').first(), 'No webhook endpoints yet.');
    await page.close();
  });

  it('should show stock with its threshold and low/out-of-stock badges, and create a SKU', async () => {
    const low = await createSku(6, { lowStockThreshold: 5 }, 'AAA low lamp');
    const out = await createSku(2, {}, 'AAA gone lamp');
    await reserve(low, 2);
    await reserve(out, 2);
    const page = await signIn();
    await page.getByRole('button', { name: 'Name', exact: true }).click();
    await expectText(stockRow(page, low).locator('td').nth(3), '4');
    await expectText(stockRow(page, low).locator('td').nth(6), '5');
    await expectText(stockRow(page, low).locator('.badge'), 'Low stock');
    await expectText(stockRow(page, out).locator('.badge'), 'Out of stock');
    await expectText(stockRow(page, out).locator('td').nth(6), '—');

    const sku = uniqueSku('NEW');
    const form = page.locator('#create-form');
    await form.getByLabel('SKU', { exact: true }).fill(sku);
    await form.getByLabel('Name', { exact: true }).fill('AAA Keyboard');
    await form.getByLabel('Total', { exact: true }).fill('25');
    await form.getByLabel('Low-stock threshold (optional)').fill('3');
    await page.getByRole('button', { name: 'Add SKU' }).click();
    await expectText(page.locator('#console-message'), `Created ${sku}.`);
    await expectText(stockRow(page, sku).locator('.badge'), 'In stock', 10_000);
    const item = await api('GET', '/admin/inventory/all?limit=100&sortBy=createdAt&sortOrder=desc');
    expect(item.body.data.items.find((i: { sku: string }) => i.sku === sku)).toMatchObject({ totalQuantity: 25, lowStockThreshold: 3 });
    await page.close();
  });

  it('should edit with a reason that lands in the ledger, show a broken rule (409), and delete after confirmation', async () => {
    const sku = await createSku(6, {}, 'AAA edit lamp');
    const page = await signIn();
    await page.getByRole('button', { name: 'Name', exact: true }).click();
    await page.getByRole('button', { name: `Edit ${sku}` }).click();
    const edit = page.locator('#edit-form');
    await edit.getByLabel('Available', { exact: true }).fill('7');
    await page.getByLabel('Reason (kept in the ledger)').fill('found one more');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expectTextContaining(page.locator('#console-message'), 'must not exceed totalQuantity');

    await edit.getByLabel('Available', { exact: true }).fill('4');
    await page.getByLabel('Reason (kept in the ledger)').fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expectText(page.locator('#console-message'), 'Give a reason for a change of quantities: it is kept in the ledger.');

    await page.getByLabel('Low-stock threshold (empty: none)').fill('2');
    await page.getByLabel('Reason (kept in the ledger)').fill('stock count: two damaged');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expectText(page.locator('#console-message'), `Saved ${sku}.`);
    const movements = await api('GET', `/admin/inventory/${sku}/movements`);
    expect(movements.body.data.items[0]).toMatchObject({ type: 'adjusted', availableDelta: -2, reason: 'stock count: two damaged' });
    expect((await api('GET', '/admin/inventory/all?limit=100&sortBy=createdAt&sortOrder=desc')).body.data.items).toContainEqual(
      expect.objectContaining({ sku, availableQuantity: 4, lowStockThreshold: 2 }),
    );

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: `Delete ${sku}` }).click();
    await expectText(page.locator('#console-message'), `Deleted ${sku}.`);
    expect((await api('GET', `/inventory/${sku}`)).status).toBe(404);
    await page.close();
  });

  it('should import CSV in bulk and report the bad row by number', async () => {
    const page = await signIn();
    const good = uniqueSku('BULK');
    await page
      .getByLabel(/Paste a JSON array/)
      .fill(`sku,productName,totalQuantity,lowStockThreshold\n${good},Desk Lamp,12,4\nbad sku,Broken,3,\n`);
    await page.getByRole('button', { name: 'Import' }).click();
    const results = page.locator('#bulk-results li');
    await expectText(results.first(), '1 created, 1 failed');
    await expectText(results.nth(1), `Row 1: created ${good}`);
    await expectTextContaining(results.nth(2), 'Row 2: items[1].sku: sku must be 1-64 letters');
    expect((await api('GET', `/inventory/${good}`)).body.data.availableQuantity).toBe(12);
    await page.close();
  });

  it("should show a SKU's reconciliation, its ledger as a timeline and a chart drawn from it", async () => {
    const sku = await createSku(10, {}, 'AAA ledger lamp');
    const confirmed = await reserve(sku, 3);
    expect((await api('POST', '/checkout/confirm', { reservationId: confirmed })).status).toBe(200);
    await reserve(sku, 2);
    const page = await signIn();
    await page.getByRole('button', { name: 'Name', exact: true }).click();
    await stockRow(page, sku).getByRole('link', { name: sku }).click();
    expect(page.url()).toBe(`${url}/console.html#sku/${sku}`);
    await expectText(page.locator('#sku-name'), sku);
    await expectText(page.locator('#sku-product'), 'AAA ledger lamp');
    await expectText(page.locator('#reconcile-badge'), 'Consistent');
    const quantity = (key: string) => page.locator(`#reconcile-table tr[data-quantity="${key}"] td`);
    await expectText(quantity('availableQuantity').nth(0), '5');
    await expectText(quantity('reservedQuantity').nth(1), '2');
    await expectText(quantity('soldQuantity').nth(2), '3');
    const entries = page.locator('#ledger li');
    await expectText(entries.nth(0).locator('.badge'), 'reserved');
    await expectText(entries.nth(0).locator('.deltas'), 'available -2, reserved +2');
    await expectText(entries.nth(1).locator('.badge'), 'confirmed');
    await expectText(entries.nth(3).locator('.badge'), 'created');
    expect(await entries.count()).toBe(4);
    // uPlot drew into the box: its root, a canvas, and a legend naming the three series.
    await page.locator('#sku-chart .uplot canvas').waitFor();
    for (const name of ['Available', 'Reserved', 'Sold']) await page.locator('#sku-chart .u-legend').getByText(name).waitFor();
    await expectText(page.locator('#chart-note'), 'Drawn from the ledger: one step per movement.');
    await page.screenshot({ path: join(SCREENSHOTS, 'console-sku.png'), fullPage: true });
    await page.getByRole('link', { name: 'Holds of this SKU' }).click();
    await expectText(page.locator('#holds-table tbody tr[data-hold] td').nth(2), `2 × ${sku}`);
    await page.close();
  });

  it('should list live holds by SKU and user with countdowns, highlight the ones expiring soon, and cancel one', async () => {
    const sku = await createSku(8, {}, 'AAA holds lamp');
    const mine = await reserve(sku, 3, 'staff-case-user');
    await reserve(sku, 1, 'other-user');
    const page = await signIn(TEST_ADMIN_API_KEY, '#holds');
    await page.getByLabel('SKU', { exact: true }).fill(sku);
    await page.getByLabel('Customer id').fill('staff-case-user');
    await page.getByRole('button', { name: 'Filter' }).click();
    const rows = page.locator('#holds-table tbody tr[data-hold]');
    await expectText(rows.first().locator('td').nth(1), 'staff-case-user');
    expect(await rows.count()).toBe(1);
    await expectText(rows.first().locator('.countdown'), /^[45]:\d\d$/);
    expect((await rows.first().getAttribute('class')) ?? '').not.toContain('expiring');
    await page.screenshot({ path: join(SCREENSHOTS, 'console-holds.png'), fullPage: true });

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: `Cancel hold ${mine}` }).click();
    await expectText(page.locator('#console-message'), `Cancelled hold ${mine}; its units are back on sale.`);
    await expectText(page.locator('#holds-table tbody td').first(), 'No holds match.');
    expect((await api('GET', `/reservations/${mine}`)).body.data.status).toBe('CANCELLED');
    expect((await api('GET', `/inventory/${sku}`)).body.data.availableQuantity).toBe(7);

    await page.getByLabel('Customer id').fill('');
    await page.getByLabel('Status').selectOption('CANCELLED');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expectText(rows.first().locator('.badge').first(), 'CANCELLED');
    await page.close();
  });

  it('should highlight a hold that expires within a minute', async () => {
    const sku = await createSku(2, {}, 'AAA soon lamp');
    const hold = await api('POST', '/reservations', { userId: 'soon-user', items: [{ sku, quantity: 1 }], ttlSeconds: 30 });
    expect(hold.status).toBe(201);
    const page = await signIn(TEST_ADMIN_API_KEY, `#holds?sku=${sku}`);
    const row = page.locator(`#holds-table tbody tr[data-hold="${hold.body.data.reservationId}"]`);
    await expectText(row.locator('.soon-badge'), 'Expiring soon');
    expect((await row.getAttribute('class')) ?? '').toContain('expiring');
    await page.close();
  });

  it('should chart reservations per minute and the expiry lag from GET /admin/activity', async () => {
    const sku = await createSku(5, {}, 'AAA activity lamp');
    const page = await signIn(TEST_ADMIN_API_KEY, '#activity');
    const reserved = page.locator('#activity-totals dd[data-outcome="reserved"]');
    await reserved.waitFor();
    const before = Number(await reserved.textContent());
    await reserve(sku, 1);
    expect((await api('POST', '/inventory/reserve', { sku, userId: 'u', quantity: 50 })).status).toBe(409);
    await expectText(reserved, String(before + 1), 15_000);
    await expectTextContaining(page.locator('#activity-now'), 'expiry lag 0.0 s');
    await page.locator('#rate-chart .uplot canvas').waitFor();
    await page.locator('#lag-chart .uplot canvas').waitFor();
    await page.locator('#rate-chart .u-legend').getByText('insufficient stock').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'console-activity.png'), fullPage: true });
    await page.close();
  });

  it('should create a webhook (secret shown once, with a copy button), list it, show its deliveries, and delete it', async () => {
    const page = await signIn(TEST_ADMIN_API_KEY, '#webhooks');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
    const hookUrl = `https://orders.example.com/hooks/${uniqueSku('H')}`;
    await page.getByLabel('URL', { exact: true }).fill(hookUrl);
    await page.getByLabel('Description (optional)').fill('order system');
    await page.getByLabel('inventory.low_stock').check();
    await page.getByLabel('reservation.confirmed').check();
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await expectTextContaining(page.locator('#console-message'), `Webhook created for ${hookUrl}`);
    const secret = (await page.locator('#hook-secret-value').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'Copy Signing secret' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    const listed = (await api('GET', '/admin/webhooks')).body.data.items.find((h: { url: string }) => h.url === hookUrl);
    expect(listed).toMatchObject({ description: 'order system' });
    expect([...listed.events].sort()).toEqual(['inventory.low_stock', 'reservation.confirmed']);
    const row = page.locator(`#hooks-table tbody tr[data-hook="${listed.id}"]`);
    await expectText(row.locator('td').nth(0), hookUrl);
    await expectText(row.locator('.badge'), 'Enabled');
    await page.getByRole('button', { name: `Deliveries of ${hookUrl}` }).click();
    await expectText(page.locator('#deliveries-url'), hookUrl);
    await expectText(page.locator('#deliveries-table tbody td').first(), 'No delivery attempts yet.');

    // Reloading shows the list, never the secret again.
    await page.reload();
    await row.waitFor();
    expect(await page.locator('#hook-secret-value').count()).toBe(0);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: `Delete webhook ${hookUrl}` }).click();
    await expectText(page.locator('#console-message'), `Deleted the webhook for ${hookUrl}.`);
    expect((await api('GET', '/admin/webhooks')).body.data.items.some((h: { id: string }) => h.id === listed.id)).toBe(false);
    await page.close();
  });

  it('should create an API key with scopes (shown once), list it, and revoke it so it no longer signs in', async () => {
    const page = await signIn(TEST_ADMIN_API_KEY, '#keys');
    const name = `reader ${uniqueSku('R')}`;
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel(/^inventory:read/).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    await expectText(page.locator('#console-message'), `Key "${name}" created. Store it now: it is not shown again.`);
    const key = (await page.locator('#key-secret-value').textContent()) ?? '';
    expect(key).toMatch(/^irs_/);
    expect((await api('GET', '/admin/inventory/all', undefined, key)).status).toBe(200);

    const row = page.locator('#keys-table tbody tr').filter({ hasText: name });
    await expectText(row.locator('td').nth(2), 'inventory:read');
    await expectText(row.locator('td').nth(1), key.slice(0, 12));
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: `Revoke key ${name}` }).click();
    await expectText(page.locator('#console-message'), `Revoked "${name}".`);
    await expectTextContaining(row.locator('.badge'), 'Revoked');
    expect((await api('GET', '/admin/inventory/all', undefined, key)).status).toBe(401);
    await page.close();

    const again = await browser.newPage();
    await again.goto(`${url}/console.html`);
    await again.getByLabel('API key', { exact: true }).fill(key);
    await again.getByRole('button', { name: 'Sign in' }).click();
    await expectTextContaining(again.locator('#signin-message'), 'unknown or revoked');
    await again.close();
  });

  it('should draw ledger levels from the oldest movement, or back from the ledger sums when only the newest are read', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}/console.html`);
    const levels = await page.evaluate(async () => {
      const { levelsFromLedger } = (await import(`${location.origin}/console/ledger-levels.js`)) as {
        levelsFromLedger: (movements: unknown[], complete: boolean, latest?: unknown) => number[][];
      };
      const m = (at: string, availableDelta: number, reservedDelta: number, soldDelta: number) => ({
        at,
        availableDelta,
        reservedDelta,
        soldDelta,
      });
      const newestFirst = [m('2026-01-01T00:00:03Z', 0, -2, 2), m('2026-01-01T00:00:02Z', -2, 2, 0), m('2026-01-01T00:00:01Z', 10, 0, 0)];
      return {
        whole: levelsFromLedger(newestFirst, true),
        // Only the two newest were read; the ledger sums now are available 8, reserved 0, sold 2.
        partial: levelsFromLedger(newestFirst.slice(0, 2), false, { availableQuantity: 8, reservedQuantity: 0, soldQuantity: 2 }),
      };
    });
    const t = Date.parse('2026-01-01T00:00:00Z') / 1000;
    expect(levels.whole).toEqual([
      [t + 1, t + 2, t + 3],
      [10, 8, 8],
      [0, 2, 0],
      [0, 0, 2],
    ]);
    expect(levels.partial).toEqual([
      [t + 2, t + 3],
      [8, 8],
      [2, 0],
      [0, 2],
    ]);
    await page.close();
  });

  it('should turn cumulative counters into per-minute rates, and skip an interval whose counters went down', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}/console.html`);
    const rates = await page.evaluate(async () => {
      const { ratesPerMinute } = (await import(`${location.origin}/console/activity-rates.js`)) as {
        ratesPerMinute: (samples: unknown[]) => { at: number; perMinute: Record<string, number | null> }[];
      };
      const sample = (at: number, reserved: number, insufficient: number, invalid: number) => ({
        at,
        reservationsByOutcome: { reserved, insufficient, invalid },
      });
      return ratesPerMinute([sample(0, 10, 1, 0), sample(30_000, 16, 2, 1), sample(60_000, 3, 0, 0)]);
    });
    expect(rates).toHaveLength(2);
    expect(rates[0]).toEqual({ at: 30_000, perMinute: expect.objectContaining({ reserved: 12, insufficient: 2, other: 2, not_found: 0 }) });
    expect(rates[1].perMinute.reserved).toBeNull();
    expect(rates[1].perMinute.other).toBeNull();
    await page.close();
  });

  it('should be usable from the keyboard: the nav links take focus with a visible ring and open their view', async () => {
    const page = await signIn();
    await page.getByRole('link', { name: 'Stock' }).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Holds');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    expect(outline).toBe('solid');
    await page.keyboard.press('Enter');
    await page.locator('#view-holds').waitFor({ state: 'visible' });
    expect(await page.getByRole('link', { name: 'Holds' }).getAttribute('aria-current')).toBe('page');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Activity');
    await page.close();
  });

  it('should fit a phone in one column (no sideways scrolling)', async () => {
    await createSku(3, { lowStockThreshold: 2 }, 'A product with a rather long name for a narrow screen');
    const page = await signIn(TEST_ADMIN_API_KEY, '', { width: 390, height: 844 });
    await page.locator('#stock-table tbody tr[data-sku]').first().waitFor();
    for (const hash of ['#stock', '#holds', '#activity', '#webhooks', '#keys']) {
      await page.evaluate((h) => (location.hash = h), hash);
      await page.locator(`#view-${hash.slice(1)}`).waitFor({ state: 'visible' });
      expect({ hash, width: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({ hash, width: 390 });
      await page.screenshot({ path: join(SCREENSHOTS, `console-${hash.slice(1)}-phone.png`), fullPage: true });
    }
    await page.close();
  });
});
