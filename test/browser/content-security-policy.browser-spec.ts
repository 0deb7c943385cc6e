import { Browser, Page } from 'playwright-core';
import { createTestDatabase, TestDatabase } from '../support/backends';
import { findChromium, launchChromium } from '../support/browser';
import { createTestApp, TEST_ADMIN_API_KEY, TestApp } from '../support/create-test-app';
import { expectText, expectTextContaining } from '../support/ui-expect';
import { uniqueSku } from '../support/unique';
import { waitFor } from '../support/wait-for';

/** Browser globals, used only inside page.evaluate (the tests' tsconfig has no DOM lib). */
declare const location: any;

const chromiumPath = findChromium();
if (!chromiumPath) console.warn('Browser tests skipped: no Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH)');
const describeInBrowser = chromiumPath ? describe : describe.skip;

/**
 * Everything the page reports as broken: console errors and uncaught exceptions. Chromium logs a CSP violation
 * as an error naming the "Content Security Policy directive" (older versions: "Refused to ...").
 */
function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy|Refused to/i.test(message.text())) {
      problems.push(`${message.text()} (${message.location().url})`);
    }
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

/** The problems left after the 404s a test caused on purpose (Chromium logs every failed load). */
function unexpected(problems: string[], ...expected404Paths: string[]): string[] {
  return problems.filter(
    (problem) => !expected404Paths.some((path) => problem.startsWith('Failed to load resource') && problem.endsWith(`${path})`)),
  );
}

describeInBrowser('Content-Security-Policy in Chromium (PGlite)', () => {
  let database: TestDatabase;
  let testApp: TestApp;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    testApp = await createTestApp(database.config);
    await testApp.app.listen(0, '127.0.0.1');
    url = await testApp.app.getUrl();
    browser = await launchChromium(chromiumPath!);
  });
  afterAll(async () => {
    await browser?.close();
    await testApp?.app.close();
    await database?.dispose();
  });

  it('should render Swagger UI at /docs with its operations and no CSP violation', async () => {
    const page = await browser.newPage();
    const problems = collectProblems(page);
    const response = await page.goto(`${url}/docs`);
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await page.locator('.opblock').first().waitFor({ state: 'visible', timeout: 15_000 });
    await expectTextContaining(page.locator('.opblock-summary-path').filter({ hasText: '/api/v1/inventory/reserve' }).first(), 'reserve');
    expect(await page.locator('.opblock').count()).toBeGreaterThan(5);
    // Expanding an operation renders its parameters and schemas; "Try it out" calls the API (connect-src).
    const operation = page
      .locator('.opblock-get')
      .filter({ has: page.locator('.opblock-summary-path', { hasText: /^\/api\/v1\/inventory\/\{sku\}$/ }) });
    await operation.locator('.opblock-summary').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.locator('input[placeholder="sku"]').fill('NO-SUCH-SKU');
    await operation.getByRole('button', { name: 'Execute' }).click();
    await expectText(operation.locator('.live-responses-table tbody .response-col_status').first(), '404', 10_000);
    await page.waitForLoadState('networkidle');
    expect(unexpected(problems, '/api/v1/inventory/NO-SUCH-SKU')).toEqual([]);
    await page.close();
  });

  const createSku = async (): Promise<string> => {
    const sku = uniqueSku('CSP');
    const response = await fetch(`${url}/api/v1/admin/inventory`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TEST_ADMIN_API_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ sku, productName: 'Policy Lamp', totalQuantity: 3 }),
    });
    expect(response.status).toBe(201);
    return sku;
  };

  it('should run the storefront under its strict CSP without a violation', async () => {
    const sku = await createSku();
    const page = await browser.newPage();
    const problems = collectProblems(page);
    const response = await page.goto(url);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(response?.headers()['content-security-policy']).not.toContain('unsafe-inline');
    // The modules ran and called the API: a product looked up by its SKU shows in the grid.
    await page.getByLabel('Show a product by its SKU').fill(sku);
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await expectTextContaining(page.locator('#product-grid'), 'Policy Lamp');
    await page.waitForLoadState('networkidle');
    // The UI has no icon; Chromium asks for one anyway.
    expect(unexpected(problems, '/favicon.ico')).toEqual([]);
    await page.close();
  });

  it('should run every view of the operations console, uPlot charts included, under the strict CSP without a violation', async () => {
    const sku = await createSku();
    const page = await browser.newPage();
    const problems = collectProblems(page);
    const response = await page.goto(`${url}/console.html`);
    expect(response?.headers()['content-security-policy']).toContain("style-src 'self'");
    expect(response?.headers()['content-security-policy']).not.toContain('unsafe-inline');
    await page.getByLabel('API key', { exact: true }).fill(TEST_ADMIN_API_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator(`#stock-table tbody tr[data-sku="${sku}"]`).waitFor();
    await page.evaluate((hash) => (location.hash = hash), `#sku/${sku}`);
    await page.locator('#sku-chart .uplot canvas').waitFor();
    await expectText(page.locator('#reconcile-badge'), 'Consistent');
    await page.evaluate(() => (location.hash = '#holds'));
    await page.locator('#holds-table tbody tr').first().waitFor();
    await page.evaluate(() => (location.hash = '#activity'));
    await page.locator('#rate-chart .uplot canvas').waitFor();
    await page.locator('#activity-totals dd').first().waitFor();
    await page.evaluate(() => (location.hash = '#webhooks'));
    await page.locator('#hooks-table tbody tr').first().waitFor();
    await page.evaluate(() => (location.hash = '#keys'));
    await page.locator('#keys-table tbody tr').first().waitFor();
    await page.waitForLoadState('networkidle');
    expect(unexpected(problems, '/favicon.ico')).toEqual([]);
    await page.close();
  });

  it('should report a violation when a page breaks the policy (the listener works)', async () => {
    const page = await browser.newPage();
    const problems = collectProblems(page);
    await page.goto(url);
    await page.evaluate(`{
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.head.appendChild(script);
    }`);
    expect(await waitFor(async () => problems.length > 0, 5_000)).toBe(true);
    expect(problems.join('\n')).toMatch(/inline script.*Content Security Policy directive|Refused to execute inline script/);
    expect(await page.evaluate('window.injected')).toBeUndefined();
    await page.close();
  });
});
