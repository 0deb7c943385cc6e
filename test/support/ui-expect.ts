import { Locator } from 'playwright-core';

/** Waits until the locator's text matches (exact string or pattern), failing with the last text seen. */
export async function expectText(locator: Locator, expected: string | RegExp, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const last = (await locator.count()) > 0 ? ((await locator.first().textContent()) ?? '').trim() : null;
    if (last !== null && (typeof expected === 'string' ? last === expected : expected.test(last))) return;
    if (Date.now() > deadline) throw new Error(`expected text ${String(expected)}, last saw ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Like expectText, with "contains". */
export function expectTextContaining(locator: Locator, part: string, timeoutMs = 5_000): Promise<void> {
  return expectText(locator, new RegExp(part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), timeoutMs);
}
