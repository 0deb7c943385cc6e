import { Browser } from 'playwright-core';
import { findChromium, launchChromium } from '../support/browser';
import { TEST_ADMIN_API_KEY } from '../support/create-test-app';
import { expectText } from '../support/ui-expect';
import {
  api,
  createSku,
  openStore,
  productCard,
  reconcile,
  RunningStore,
  screenshotBoth,
  startStore,
  stopStore,
} from './storefront-harness';

const chromiumPath = findChromium();
if (!chromiumPath) console.warn('Browser tests skipped: no Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH)');
const describeInBrowser = chromiumPath ? describe : describe.skip;

async function createKey(running: RunningStore, scopes: string[]): Promise<string> {
  const created = await api(running, 'POST', '/admin/api-keys', { name: `store ${scopes.join(' ')}`, scopes });
  expect(created.status).toBe(201);
  return created.body.data.key;
}

describeInBrowser('Storefront with CUSTOMER_API_KEY_REQUIRED=true in Chromium (PGlite)', () => {
  let running: RunningStore;
  let browser: Browser;

  beforeAll(async () => {
    running = await startStore({ auth: { customerKeyRequired: true } });
    browser = await launchChromium(chromiumPath!);
  });
  afterAll(async () => {
    await browser?.close();
    await stopStore(running);
  });

  it('should ask for a customer key, refuse a key without reservations:write, and hold with the right key', async () => {
    const sku = await createSku(running, 8, 'Bluetooth Speaker');
    const readOnly = await createKey(running, ['inventory:read']);
    const customer = await createKey(running, ['reservations:write']);
    const page = await openStore(browser, running, { skus: [sku] });
    const sentKeys: (string | undefined)[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') sentKeys.push(request.headers()['authorization']);
    });

    await expectText(
      page.locator('#products-message'),
      'This shop asks for a customer key: enter one under "Shop settings", then try again.',
    );
    expect(await page.locator('#settings').getAttribute('open')).toBe('');
    await screenshotBoth(page, 'key-needed');

    // Any valid key reads availability; holding needs reservations:write (403 names the scope).
    await page.getByLabel('Customer key (only if this shop asks for one)').fill(readOnly);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expectText(productCard(page, sku).locator('.badge'), '8 available');
    await productCard(page, sku).getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('button', { name: 'Reserve my cart' }).click();
    await expectText(
      page.locator('#cart-message'),
      'Nothing was held. Your customer key is not allowed to do this (it lacks reservations:write). Ask the shop for another key.',
    );
    expect(await reconcile(running, sku)).toMatchObject({ counters: { availableQuantity: 8, reservedQuantity: 0 } });

    await page.getByLabel('Customer key (only if this shop asks for one)').fill(customer);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('button', { name: 'Reserve my cart' }).click();
    await expectText(page.locator('#hold-status'), 'Held for you');
    await page.getByRole('button', { name: 'Buy now' }).click();
    await expectText(page.locator('#hold-status'), 'Bought');
    expect(await reconcile(running, sku)).toMatchObject({ counters: { soldQuantity: 1 }, consistent: true });
    expect(sentKeys).toEqual([`Bearer ${readOnly}`, `Bearer ${customer}`, `Bearer ${customer}`]);
    // The key lives in this tab only, never in a URL or localStorage.
    expect(await page.evaluate(`JSON.stringify(Object.keys(localStorage))`)).not.toContain('Key');
    expect(page.url()).not.toContain(customer);
    await page.close();
  });
});

describeInBrowser('Storefront for a signed-in operator in Chromium (PGlite)', () => {
  let running: RunningStore;
  let browser: Browser;

  beforeAll(async () => {
    running = await startStore();
    browser = await launchChromium(chromiumPath!);
  });
  afterAll(async () => {
    await browser?.close();
    await stopStore(running);
  });

  it("should list the whole stock with the console's key, and send no key on the shopper's own calls", async () => {
    const listed = await createSku(running, 7, 'Listed Product');
    const unlisted = await createSku(running, 9, 'Only In Stock');
    const page = await openStore(browser, running, { skus: [listed], operatorKey: TEST_ADMIN_API_KEY });
    const reserveAuth: (string | undefined)[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') reserveAuth.push(request.headers()['authorization']);
    });
    await expectText(page.locator('#products-source'), 'Everything in stock (you are signed in to Operations).');
    await expectText(productCard(page, unlisted).locator('.badge'), '9 available');
    await expectText(productCard(page, listed).locator('.badge'), '7 available');
    expect(await page.locator('#find-form').isHidden()).toBe(true);
    await productCard(page, unlisted).getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('button', { name: 'Reserve my cart' }).click();
    await expectText(page.locator('#hold-status'), 'Held for you');
    expect(reserveAuth).toEqual([undefined]);
    await page.close();
  });

  it("should fall back to the shop's list when the operator key may not read the stock, and say so", async () => {
    const listed = await createSku(running, 4, 'Fallback Product');
    const keysOnly = await createKey(running, ['keys:write']);
    const page = await openStore(browser, running, { skus: [listed], operatorKey: keysOnly });
    await expectText(productCard(page, listed).locator('.badge'), 'Only 4 left');
    await expectText(
      page.locator('#products-message'),
      "Showing this shop's list: your Operations key cannot list the whole stock (it lacks inventory:read).",
    );
    expect(await page.locator('#product-grid li').count()).toBe(1);
    await page.close();
  });
});
