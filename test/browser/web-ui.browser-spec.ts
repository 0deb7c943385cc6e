import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { loadAppConfig } from '../../apps/api/src/config/app-config';
import { createTestDatabase, TestDatabase } from '../support/backends';
import { findChromium, launchChromium } from '../support/browser';
import { createTestApp, TEST_ADMIN_API_KEY, TestApp } from '../support/create-test-app';
import { expectText, expectTextContaining } from '../support/ui-expect';
import { uniqueSku } from '../support/unique';

const SCREENSHOTS = join(__dirname, '..', '..', 'artifacts', 'screenshots');
const chromiumPath = findChromium();
if (!chromiumPath) console.warn('Browser tests skipped: no Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH)');
const describeInBrowser = chromiumPath ? describe : describe.skip;

const base = loadAppConfig({});

interface RunningApp {
  testApp: TestApp;
  database: TestDatabase;
  url: string;
}

async function startApp(ttlSeconds: number): Promise<RunningApp> {
  const database = await createTestDatabase('pglite');
  const testApp = await createTestApp(database.config, { reservations: { ...base.reservations, ttlSeconds, sweepIntervalSeconds: 1 } });
  await testApp.app.listen(0, '127.0.0.1');
  return { testApp, database, url: await testApp.app.getUrl() };
}

async function api<T = any>(running: RunningApp, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${running.url}/api/v1${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${TEST_ADMIN_API_KEY}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

describeInBrowser('Web UI in Chromium (PGlite)', () => {
  let running: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    running = await startApp(300);
    browser = await launchChromium(chromiumPath!);
  });
  afterAll(async () => {
    await browser?.close();
    await running?.testApp.app.close();
  });

  const open = async (tab: 'Storefront' | 'Admin', viewport = { width: 1280, height: 900 }): Promise<Page> => {
    const page = await browser.newPage({ viewport });
    await page.goto(running.url);
    await page.getByRole('tab', { name: tab }).click();
    if (tab === 'Admin') {
      // As an admin would: paste the key into the UI, which sends it as a Bearer token (kept per browser tab).
      await page.getByLabel(/^API key/).fill(TEST_ADMIN_API_KEY);
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expectText(page.locator('#admin-message'), 'API key saved for this browser tab.');
    }
    return page;
  };
  const createSku = async (total: number, name = 'Gaming Laptop') => {
    const sku = uniqueSku('UI');
    expect((await api(running, 'POST', '/admin/inventory', { sku, productName: name, totalQuantity: total })).status).toBe(201);
    return sku;
  };
  const stockRow = (page: Page, sku: string) => page.locator(`#stock-table tbody tr[data-sku="${sku}"]`);
  const reserveInStore = async (page: Page, sku: string, quantity: number) => {
    await page.locator('#lookup-sku').fill(sku);
    await page.getByRole('button', { name: 'Look up' }).click();
    await expectTextContaining(page.locator('#product'), 'available');
    await page.getByLabel('Quantity', { exact: true }).fill(String(quantity));
    await page.getByRole('button', { name: 'Reserve', exact: true }).click();
  };

  it('should create a SKU in the admin panel and list it with its quantities', async () => {
    const page = await open('Admin');
    const sku = uniqueSku('NEW');
    await page.locator('#create-sku').fill(sku);
    await page.locator('#create-name').fill('AAA Mechanical Keyboard');
    await page.locator('#create-total').fill('25');
    await page.getByRole('button', { name: 'Add SKU' }).click();
    await expectText(page.locator('#admin-message'), `Created ${sku}.`);
    await page.getByRole('button', { name: 'Name', exact: true }).click();
    const first = page.locator('#stock-table tbody tr').first();
    await expectText(first.locator('td').nth(0), sku);
    await expectText(first.locator('td').nth(1), 'AAA Mechanical Keyboard');
    await expectText(first.locator('td').nth(2), '25');
    await expectText(first.locator('td').nth(3), '25');
    const item = await api(running, 'GET', `/inventory/${sku}`);
    expect(item.body.data).toEqual({ sku, productName: 'AAA Mechanical Keyboard', totalQuantity: 25, availableQuantity: 25 });
    await page.close();
  });

  it('should import CSV in bulk and report the bad row by number', async () => {
    const page = await open('Admin');
    const good = uniqueSku('BULK');
    await page.getByLabel(/Paste a JSON array/).fill(`sku,productName,totalQuantity\n${good},Desk Lamp,12\nbad sku,Broken,3\n`);
    await page.getByRole('button', { name: 'Import' }).click();
    const results = page.locator('#bulk-results li');
    await expectText(results.first(), '1 created, 1 failed');
    await expectText(results.nth(1), `Row 1: created ${good}`);
    await expectTextContaining(results.nth(2), 'Row 2: items[1].sku: sku must be 1-64 letters');
    expect((await api(running, 'GET', `/inventory/${good}`)).body.data.availableQuantity).toBe(12);
    await page.close();
  });

  it('should reserve in the storefront, show the hold in the admin table, count down and confirm', async () => {
    const sku = await createSku(10);
    const store = await open('Storefront');
    const admin = await open('Admin');
    await reserveInStore(store, sku, 2);
    await expectTextContaining(store.locator('#store-message'), `Reserved 2 × ${sku}`);
    await expectText(store.locator('#hold-status'), 'Held for you');
    await expectText(store.locator('#hold-countdown'), /^[45]:\d\d$/);

    await admin.getByRole('button', { name: 'Available' }).click();
    await admin.getByRole('button', { name: 'Available' }).click();
    await admin.locator('#page-info').waitFor();
    const adminRow = () => stockRow(admin, sku);
    await adminRow().waitFor({ state: 'visible', timeout: 10_000 });
    await expectText(adminRow().locator('td').nth(3), '8', 10_000);
    await expectText(adminRow().locator('td').nth(4), '2');

    await store.screenshot({ path: join(SCREENSHOTS, 'storefront.png'), fullPage: true });
    await store.getByRole('button', { name: 'Confirm purchase' }).click();
    await expectText(store.locator('#store-message'), 'Purchase confirmed. Thank you!');
    await expectText(store.locator('#hold-status'), 'Purchased');
    await expectText(adminRow().locator('td').nth(5), '2', 10_000);
    await expectText(adminRow().locator('td').nth(4), '0');
    await admin.screenshot({ path: join(SCREENSHOTS, 'admin.png'), fullPage: true });
    await store.close();
    await admin.close();
  });

  it('should cancel a hold and put the units back on sale', async () => {
    const sku = await createSku(5);
    const store = await open('Storefront');
    await reserveInStore(store, sku, 3);
    await expectText(store.locator('#hold-status'), 'Held for you');
    await store.getByRole('button', { name: 'Cancel' }).click();
    await expectText(store.locator('#store-message'), 'Hold cancelled; the items are back on sale.');
    expect(await store.getByRole('button', { name: 'Confirm purchase' }).isDisabled()).toBe(true);
    expect((await api(running, 'GET', `/inventory/${sku}`)).body.data.availableQuantity).toBe(5);
    await store.close();
  });

  it('should say how many are left when a reservation asks for more than the stock (409)', async () => {
    const sku = await createSku(1);
    const store = await open('Storefront', { width: 390, height: 844 });
    await reserveInStore(store, sku, 2);
    await expectText(store.locator('#store-message'), 'Sorry, only 1 left in stock.');
    await store.screenshot({ path: join(SCREENSHOTS, 'storefront-phone.png'), fullPage: true });
    await store.close();
  });

  it('should retry a failed reservation with the same idempotency key and hold stock once', async () => {
    const sku = await createSku(4);
    const store = await open('Storefront');
    const keys: string[] = [];
    store.on('request', (request) => {
      if (request.url().endsWith('/inventory/reserve')) keys.push(request.headers()['idempotency-key']);
    });
    await store.route('**/api/v1/inventory/reserve', (route) => route.abort('internetdisconnected'), { times: 1 });
    await reserveInStore(store, sku, 1);
    await expectText(store.locator('#store-message'), 'The shop could not be reached. Check your connection and try again.');
    await store.getByRole('button', { name: 'Retry the same reservation' }).click();
    await expectText(store.locator('#hold-status'), 'Held for you');
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    const reconcile = await api(running, 'GET', `/admin/inventory/${sku}/reconcile`);
    expect(reconcile.body.data).toMatchObject({ counters: { availableQuantity: 3, reservedQuantity: 1 }, consistent: true });
    await store.close();
  });

  it("should edit quantities, show the API's 409 for a broken rule, and delete after confirmation", async () => {
    const sku = await createSku(6, 'Old Name');
    const admin = await open('Admin');
    await admin.getByRole('button', { name: 'Total' }).click();
    await admin.getByRole('button', { name: 'Total' }).click();
    await admin.getByRole('button', { name: `Edit ${sku}` }).click();
    await admin.locator('#edit-available').fill('7');
    await admin.getByRole('button', { name: 'Save changes' }).click();
    await expectTextContaining(admin.locator('#admin-message'), 'must not exceed totalQuantity (7 + 0 + 0 > 6)');
    await admin.locator('#edit-name').fill('New Name');
    await admin.locator('#edit-available').fill('4');
    await admin.getByRole('button', { name: 'Save changes' }).click();
    await expectText(admin.locator('#admin-message'), `Saved ${sku}.`);
    expect((await api(running, 'GET', `/inventory/${sku}`)).body.data).toEqual({
      sku,
      productName: 'New Name',
      totalQuantity: 6,
      availableQuantity: 4,
    });

    admin.once('dialog', (dialog) => void dialog.accept());
    await admin.getByRole('button', { name: `Delete ${sku}` }).click();
    await expectText(admin.locator('#admin-message'), `Deleted ${sku}.`);
    expect((await api(running, 'GET', `/inventory/${sku}`)).status).toBe(404);
    await admin.close();
  });

  it('should be usable from the keyboard: tabs switch with the arrow keys', async () => {
    const page = await open('Storefront');
    await page.getByRole('tab', { name: 'Storefront' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(
      await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id),
    ).toBe('tab-admin');
    await page.locator('#panel-admin').waitFor({ state: 'visible' });
    await page.locator('#panel-store').waitFor({ state: 'hidden' });
    await page.close();
  });
});

describeInBrowser('Web UI expiry in Chromium (PGlite, 2-second holds)', () => {
  let running: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    running = await startApp(2);
    browser = await launchChromium(chromiumPath!);
  });
  afterAll(async () => {
    await browser?.close();
    await running?.testApp.app.close();
  });

  it('should tell the shopper the hold expired, and refuse to confirm it', async () => {
    const sku = uniqueSku('EXP');
    await api(running, 'POST', '/admin/inventory', { sku, productName: 'Flash Sale Item', totalQuantity: 3 });
    const page = await browser.newPage();
    await page.goto(running.url);
    await page.locator('#reserve-sku').fill(sku);
    await page.getByLabel('Quantity', { exact: true }).fill('3');
    await page.getByRole('button', { name: 'Reserve', exact: true }).click();
    await expectText(page.locator('#hold-status'), 'Held for you');
    await expectText(page.locator('#hold-status'), 'Expired', 10_000);
    await expectText(page.locator('#store-message'), 'Your hold expired and the items went back on sale. Reserve again to buy them.');
    expect(await page.getByRole('button', { name: 'Confirm purchase' }).isDisabled()).toBe(true);
    // The UI shows EXPIRED as soon as the hold is due; the sweeper (every second) then returns the stock.
    const deadline = Date.now() + 10_000;
    while ((await api(running, 'GET', `/inventory/${sku}`)).body.data.availableQuantity !== 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect((await api(running, 'GET', `/inventory/${sku}`)).body.data.availableQuantity).toBe(3);
    await page.close();
  });
});
