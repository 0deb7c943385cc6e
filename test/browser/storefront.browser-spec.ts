import { Browser } from 'playwright-core';
import { findChromium, launchChromium } from '../support/browser';
import { expectText, expectTextContaining } from '../support/ui-expect';
import { uniqueSku } from '../support/unique';
import {
  api,
  cartLine,
  collectProblems,
  createSku,
  heldLine,
  openStore,
  PHONE,
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

describeInBrowser('Storefront in Chromium (PGlite): grid, cart and hold', () => {
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

  it('should show the listed products with live availability and name the SKUs that do not exist', async () => {
    const lamp = await createSku(running, 12, 'Desk Lamp');
    const cable = await createSku(running, 3, 'USB Cable');
    const page = await openStore(browser, running, { skus: [lamp, cable, 'NO-SUCH-SKU'] });
    const problems = collectProblems(page);
    await expectText(productCard(page, lamp).locator('h3'), 'Desk Lamp');
    await expectText(productCard(page, lamp).locator('.badge'), '12 available');
    await expectText(productCard(page, cable).locator('.badge'), 'Only 3 left');
    await expectText(page.locator('#products-message'), 'Not found: NO-SUCH-SKU.');
    expect(await page.locator('#product-grid li').count()).toBe(2);

    // Someone else buys: the grid follows without a reload.
    const hold = await api(running, 'POST', '/reservations', { userId: 'other', items: [{ sku: cable, quantity: 3 }] });
    expect(hold.status).toBe(201);
    await expectText(productCard(page, cable).locator('.badge'), 'Sold out', 12_000);
    expect(await productCard(page, cable).getByRole('button', { name: 'Add to cart' }).isDisabled()).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('should add, change and remove cart lines, then hold the cart as one multi-line hold with its countdown', async () => {
    const laptop = await createSku(running, 10, 'Gaming Laptop');
    const mouse = await createSku(running, 20, 'Wireless Mouse');
    const pad = await createSku(running, 5, 'Mouse Pad');
    const page = await openStore(browser, running, { skus: [laptop, mouse, pad] });
    const requests: { key: string | undefined; body: unknown }[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/v1/reservations')) {
        requests.push({ key: request.headers()['idempotency-key'], body: request.postDataJSON() });
      }
    });

    await productCard(page, laptop).getByRole('button', { name: 'Add to cart' }).click();
    await productCard(page, mouse).getByRole('button', { name: 'Add to cart' }).click();
    await productCard(page, pad).getByRole('button', { name: 'Add to cart' }).click();
    await expectText(page.locator('#cart-message'), 'Added Mouse Pad to your cart.');
    await page.getByLabel('Quantity of Wireless Mouse').fill('3');
    await page.getByLabel('Quantity of Wireless Mouse').press('Enter');
    await expectText(productCard(page, mouse).locator('.in-cart'), '3 in your cart');
    await cartLine(page, pad).getByRole('button', { name: 'Remove' }).click();
    expect(await cartLine(page, pad).count()).toBe(0);
    await screenshotBoth(page, 'cart');

    await page.getByRole('button', { name: 'Reserve my cart' }).click();
    await expectText(page.locator('#hold-message'), 'Held 4 items for you: buy them before the time runs out.');
    await expectText(page.locator('#hold-status'), 'Held for you');
    await expectText(page.locator('#hold-countdown'), /^[45]:\d\d$/);
    await expectText(heldLine(page, laptop).locator('.line-name'), '1 × Gaming Laptop');
    await expectText(heldLine(page, mouse).locator('.line-name'), '3 × Wireless Mouse');
    expect(await page.locator('#cart-lines li').count()).toBe(0);

    expect(requests).toHaveLength(1);
    expect(requests[0].key).toMatch(/^[0-9a-f-]{36}$/);
    expect(requests[0].body).toEqual({
      userId: expect.stringMatching(/^shopper-/),
      items: [
        { sku: laptop, quantity: 1 },
        { sku: mouse, quantity: 3 },
      ],
    });
    expect(await reconcile(running, laptop)).toMatchObject({ counters: { availableQuantity: 9, reservedQuantity: 1 }, consistent: true });
    expect(await reconcile(running, mouse)).toMatchObject({ counters: { availableQuantity: 17, reservedQuantity: 3 }, consistent: true });
    await screenshotBoth(page, 'hold');
    await page.close();
  });

  it('should give back units of a held line, remove a line, and buy the rest', async () => {
    const chair = await createSku(running, 6, 'Office Chair');
    const desk = await createSku(running, 4, 'Standing Desk');
    const page = await openStore(browser, running, { skus: [chair, desk] });
    await productCard(page, chair).getByRole('button', { name: 'Add to cart' }).click();
    await page.getByLabel('Quantity of Office Chair').fill('3');
    await page.getByLabel('Quantity of Office Chair').press('Enter');
    await productCard(page, desk).getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('button', { name: 'Reserve my cart' }).click();
    await expectText(page.locator('#hold-status'), 'Held for you');

    await heldLine(page, chair).getByRole('button', { name: 'Give one back' }).click();
    await expectText(page.locator('#hold-message'), 'Gave back 1 of Office Chair.');
    await expectText(heldLine(page, chair).locator('.line-name'), '2 × Office Chair');
    await heldLine(page, desk).getByRole('button', { name: 'Remove' }).click();
    await expectText(page.locator('#hold-message'), 'Removed Standing Desk from your hold.');
    expect(await heldLine(page, desk).count()).toBe(0);
    expect(await reconcile(running, desk)).toMatchObject({ counters: { availableQuantity: 4, reservedQuantity: 0 }, consistent: true });

    await page.getByRole('button', { name: 'Buy now' }).click();
    await expectText(page.locator('#hold-message'), 'Thank you! Your purchase is confirmed.');
    await expectText(page.locator('#hold-status'), 'Bought');
    await screenshotBoth(page, 'bought');
    expect(await page.getByRole('button', { name: 'Buy now' }).isHidden()).toBe(true);
    expect(await reconcile(running, chair)).toMatchObject({
      counters: { availableQuantity: 4, reservedQuantity: 0, soldQuantity: 2 },
      consistent: true,
    });
    await page.getByRole('button', { name: 'Continue shopping' }).click();
    await page.locator('#hold-card').waitFor({ state: 'hidden' });
    await page.close();
  });

  it('should name the short line with what is available, hold nothing, and take what is available on request', async () => {
    const plenty = await createSku(running, 50, 'Notebook');
    const scarce = await createSku(running, 2, 'Fountain Pen');
    const page = await openStore(browser, running, { skus: [plenty, scarce], viewport: PHONE });
    await productCard(page, plenty).getByRole('button', { name: 'Add to cart' }).click();
    await productCard(page, scarce).getByRole('button', { name: 'Add to cart' }).click();
    await page.getByLabel('Quantity of Fountain Pen').fill('5');
    await page.getByLabel('Quantity of Fountain Pen').press('Enter');
    await page.getByRole('button', { name: 'Reserve my cart' }).click();
    await expectText(page.locator('#cart-message'), 'Nothing was held: only 2 of Fountain Pen left (you asked for 5).');
    await expectText(cartLine(page, scarce).locator('.line-note'), 'Only 2 left.');
    expect(await reconcile(running, plenty)).toMatchObject({ counters: { availableQuantity: 50, reservedQuantity: 0 } });
    expect(await reconcile(running, scarce)).toMatchObject({ counters: { availableQuantity: 2, reservedQuantity: 0 } });
    await screenshotBoth(page, 'short');

    await page.getByRole('button', { name: 'Take what is available' }).click();
    expect(await page.getByLabel('Quantity of Fountain Pen').inputValue()).toBe('2');
    await page.getByRole('button', { name: 'Reserve my cart' }).click();
    await expectText(page.locator('#hold-status'), 'Held for you');
    expect(await reconcile(running, scarce)).toMatchObject({ counters: { availableQuantity: 0, reservedQuantity: 2 }, consistent: true });
    await page.close();
  });

  it('should say when a product is no longer sold or passes the per-customer cap, and hold nothing', async () => {
    const capped = uniqueSku('SF');
    expect(
      (await api(running, 'POST', '/admin/inventory', { sku: capped, productName: 'Console', totalQuantity: 9, maxPerCustomer: 2 })).status,
    ).toBe(201);
    const gone = await createSku(running, 4, 'Discontinued Toy');
    const page = await openStore(browser, running, { skus: [capped, gone] });
    await productCard(page, capped).getByRole('button', { name: 'Add to cart' }).click();
    await productCard(page, gone).getByRole('button', { name: 'Add to cart' }).click();
    expect((await api(running, 'DELETE', `/admin/inventory/${gone}`)).status).toBe(200);
    await page.getByRole('button', { name: 'Reserve my cart' }).click();
    await expectText(page.locator('#cart-message'), 'Nothing was held: Discontinued Toy is no longer sold.');
    await expectText(cartLine(page, gone).locator('.line-note'), 'No longer sold.');

    await cartLine(page, gone).getByRole('button', { name: 'Remove' }).click();
    await page.getByLabel('Quantity of Console').fill('3');
    await page.getByLabel('Quantity of Console').press('Enter');
    await page.getByRole('button', { name: 'Reserve my cart' }).click();
    await expectText(page.locator('#cart-message'), 'Nothing was held: you may hold at most 2 of Console at a time.');
    await expectText(cartLine(page, capped).locator('.line-note'), 'At most 2 per customer.');
    expect(await reconcile(running, capped)).toMatchObject({ counters: { availableQuantity: 9, reservedQuantity: 0 } });
    await page.close();
  });

  it('should retry a reservation that met a network error with the same idempotency key, and hold once', async () => {
    const sku = await createSku(running, 4, 'Headphones');
    const page = await openStore(browser, running, { skus: [sku] });
    const keys: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/v1/reservations')) keys.push(request.headers()['idempotency-key']);
    });
    await productCard(page, sku).getByRole('button', { name: 'Add to cart' }).click();
    await page.route('**/api/v1/reservations', (route) => route.abort('internetdisconnected'), { times: 1 });
    await page.getByRole('button', { name: 'Reserve my cart' }).click();
    await expectTextContaining(page.locator('#cart-message'), 'We could not reach the shop.');
    expect(await page.getByLabel('Quantity of Headphones').isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Try again' }).click();
    await expectText(page.locator('#hold-status'), 'Held for you');
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    expect(await reconcile(running, sku)).toMatchObject({ counters: { availableQuantity: 3, reservedQuantity: 1 }, consistent: true });
    await page.close();
  });

  it('should cancel a hold and put the items back on sale; the grid shows them again', async () => {
    const sku = await createSku(running, 6, 'Coffee Grinder');
    const page = await openStore(browser, running, { skus: [sku] });
    await productCard(page, sku).getByRole('button', { name: 'Add to cart' }).click();
    await page.getByLabel('Quantity of Coffee Grinder').fill('6');
    await page.getByLabel('Quantity of Coffee Grinder').press('Enter');
    await page.getByRole('button', { name: 'Reserve my cart' }).click();
    await expectText(page.locator('#hold-status'), 'Held for you');
    await expectText(productCard(page, sku).locator('.badge'), 'Sold out');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expectText(page.locator('#hold-message'), 'Cancelled: the items are back on sale.');
    await expectText(page.locator('#hold-status'), 'Cancelled');
    await expectText(productCard(page, sku).locator('.badge'), '6 available');
    expect(await reconcile(running, sku)).toMatchObject({ counters: { availableQuantity: 6, reservedQuantity: 0 }, consistent: true });
    await page.close();
  });

  it('should keep a hold across a reload of the page', async () => {
    const sku = await createSku(running, 3, 'Table Lamp');
    const page = await openStore(browser, running, { skus: [sku] });
    await productCard(page, sku).getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('button', { name: 'Reserve my cart' }).click();
    await expectText(page.locator('#hold-status'), 'Held for you');
    await page.reload();
    await expectText(heldLine(page, sku).locator('.line-name'), '1 × Table Lamp');
    await expectText(page.locator('#hold-status'), 'Held for you');
    await page.close();
  });

  it('should be usable from the keyboard alone: find a product, add it, reserve', async () => {
    const sku = await createSku(running, 8, 'Keyboard');
    const page = await openStore(browser, running, { skus: [] });
    await expectText(page.locator('#products-empty'), /^No products to show yet\./);
    await page.getByLabel('Show a product by its SKU').focus();
    await page.keyboard.type(sku);
    await page.keyboard.press('Enter');
    // The found product's "Add to cart" gets the focus.
    await expectText(productCard(page, sku).locator('.badge'), '8 available');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Add to cart');
    await screenshotBoth(page, 'keyboard-focus');
    await page.keyboard.press('Enter');
    await expectText(page.locator('#cart-message'), 'Added Keyboard to your cart.');
    await page.getByRole('button', { name: 'Reserve my cart' }).focus();
    await page.keyboard.press('Enter');
    await expectText(page.locator('#hold-status'), 'Held for you');
    // The find kept the SKU in the shop's list for the next visit.
    expect(await page.evaluate(`localStorage.getItem('irs.store.skus')`)).toBe(JSON.stringify([sku]));
    await page.close();
  });
});
