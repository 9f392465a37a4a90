import { describe, expect } from "vitest";
import type { Page } from "playwright-core";
import { loginToShell, sel, useBrowser } from "../../src/browser";
import { cuttableProxy } from "../../src/proxy";
import { createUser, loginDemo, server } from "../../src/world";

const { browserTest } = useBrowser();

describe("realtime", () => {
  browserTest("the home page shows the organization's events as they happen", async ({ page }) => {
    const { emails, password } = server().demo;
    await loginToShell(page, emails.admin!, password);
    await expectLiveEvents(page);
  });

  browserTest("after the connection drops the page reconnects, resubscribes and stays live", async ({ page }) => {
    const proxy = await cuttableProxy(server().baseUrl);
    try {
      const { emails, password } = server().demo;
      await loginToShell(page, emails.admin!, password, proxy.url);
      await subscribed(page);
      expect(proxy.cut(), "connections cut").toBeGreaterThan(0);
      // The header shows the socket down (reconnection waits at least 250 ms), then open again
      // with the subscription confirmed anew by the server, without a reload.
      await page.locator(sel("ws-state", ':not([data-state="open"])')).waitFor({ state: "attached" });
      await expectLiveEvents(page);
      expect(page.url().startsWith(proxy.url), "still the same page").toBe(true);
    } finally {
      await proxy.close();
    }
  });
});

/** The header shows the socket open and the server's confirmation of the home page's
 * `organization` subscription; from then on every organization event reaches the page. */
async function subscribed(page: Page) {
  await page.locator(sel("ws-state", '[data-state="open"][data-subscriptions="1"]')).waitFor({ state: "visible" });
}

/** Once subscribed, an event caused elsewhere (another session creates a user) shows up. */
async function expectLiveEvents(page: Page) {
  await subscribed(page);
  const before = await page.locator(sel("event")).count();
  const { api } = await loginDemo("admin");
  await createUser(api, "agent");
  await page.waitForFunction(
    ([selector, count]) => document.querySelectorAll(selector as string).length > (count as number),
    [sel("event"), before] as const,
  );
  expect(await page.locator(sel("event")).count()).toBeGreaterThan(before);
}
