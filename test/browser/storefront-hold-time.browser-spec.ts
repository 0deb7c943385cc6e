import { Browser } from 'playwright-core';
import { findChromium, launchChromium } from '../support/browser';
import { expectText, expectTextContaining } from '../support/ui-expect';
import { waitFor } from '../support/wait-for';
import {
  api,
  createSku,
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

describeInBrowser('Storefront "Keep my items" in Chromium (PGlite, 60-second holds that live at most 90 seconds)', () => {
  let running: RunningStore;
  let browser: Browser;

  beforeAll(async () => {
    running = await startStore({ reservations: { ttlSeconds: 60, maxTtlSeconds: 90 } });
    browser = await launchChromium(chromiumPath!);
  });
  afterAll(async () => {
    await browser?.close();
    await stopStore(running);
  });

  it('should keep the items as long as the lifetime cap allows, say that this is the limit, and offer no more', async () => {
    const sku = await createSku(running, 4, 'Espresso Machine');
    const page = await openStore(browser, running, { skus: [sku] });
    const extends_: unknown[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/extend')) extends_.push(request.postDataJSON());
    });
    await productCard(page, sku).getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('button', { name: 'Reserve my cart' }).click();
    await expectText(page.locator('#hold-countdown'), /^[01]:\d\d$/);
    const holdId = String(await page.evaluate(`sessionStorage.getItem('irs.store.holdId')`));
    const before = (await api(running, 'GET', `/reservations/${holdId}`)).body.data;

    await page.getByRole('button', { name: 'Keep my items' }).click();
    // Another 60 seconds would pass the 90-second cap (409 HOLD_LIFETIME_EXCEEDED): the page asks for what is left of it.
    await expectTextContaining(page.locator('#hold-message'), 'That is as long as we can keep them: until');
    await expectTextContaining(page.locator('#hold-message'), '(a hold lasts at most 90 seconds)');
    expect(extends_).toEqual([{ seconds: 60 }, { seconds: expect.any(Number) }]);
    const after = (await api(running, 'GET', `/reservations/${holdId}`)).body.data;
    // Within the last second before the cap (the page asks for whole seconds), later than before.
    expect(Date.parse(after.expiresAt)).toBeLessThanOrEqual(Date.parse(before.createdAt) + 90_000);
    expect(Date.parse(after.expiresAt)).toBeGreaterThan(Date.parse(before.createdAt) + 89_000);
    expect(await page.getByRole('button', { name: 'Keep my items' }).isDisabled()).toBe(true);
    await page.close();
  });
});

describeInBrowser('Storefront expiry in Chromium (PGlite, 2-second holds)', () => {
  let running: RunningStore;
  let browser: Browser;

  beforeAll(async () => {
    running = await startStore({ reservations: { ttlSeconds: 2 } });
    browser = await launchChromium(chromiumPath!);
  });
  afterAll(async () => {
    await browser?.close();
    await stopStore(running);
  });

  it('should tell the shopper the hold expired, offer no purchase, and show the items on sale again', async () => {
    const sku = await createSku(running, 3, 'Flash Sale Item');
    const page = await openStore(browser, running, { skus: [sku], viewport: PHONE });
    await productCard(page, sku).getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('button', { name: 'Reserve my cart' }).click();
    await expectText(page.locator('#hold-status'), 'Held for you');
    await expectText(page.locator('#hold-status'), 'Expired', 10_000);
    await expectText(page.locator('#hold-message'), 'Your hold expired and the items went back on sale. Reserve them again to buy them.');
    expect(await page.getByRole('button', { name: 'Buy now' }).isHidden()).toBe(true);
    expect(await page.getByRole('button', { name: 'Continue shopping' }).isVisible()).toBe(true);
    // The sweeper (every second) returns the stock; the grid follows.
    await expectText(productCard(page, sku).locator('.badge'), 'Only 3 left', 15_000);
    expect(await reconcile(running, sku)).toMatchObject({ counters: { availableQuantity: 3, reservedQuantity: 0 }, consistent: true });
    await screenshotBoth(page, 'expired');
    await page.close();
  });

  it('should say "too late" when the purchase reaches the API after the hold expired (410)', async () => {
    const sku = await createSku(running, 2, 'Last Minute Item');
    const page = await openStore(browser, running, { skus: [sku] });
    await productCard(page, sku).getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('button', { name: 'Reserve my cart' }).click();
    await expectText(page.locator('#hold-status'), 'Held for you');
    const holdId = String(await page.evaluate(`sessionStorage.getItem('irs.store.holdId')`));
    // The page cannot see the hold's state (its polls fail), so it still offers "Buy now" after the time is up.
    await page.route(`**/api/v1/reservations/${holdId}`, (route) => route.abort('internetdisconnected'));
    expect(await waitFor(async () => (await api(running, 'GET', `/reservations/${holdId}`)).body.data.status === 'EXPIRED', 10_000)).toBe(
      true,
    );
    await page.getByRole('button', { name: 'Buy now' }).click();
    await expectText(page.locator('#hold-message'), 'Too late: your hold expired and the items went back on sale.');
    await expectText(page.locator('#hold-status'), 'Expired');
    expect((await reconcile(running, sku)).counters.soldQuantity).toBe(0);
    await page.close();
  });
});
