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

  browserTest("a topic is subscribed while some screen uses it and given up when the last one leaves", async ({ page }) => {
    const sent: string[] = [];
    page.on("websocket", (ws) =>
      ws.on("framesent", (f) => {
        const type = JSON.parse(String(f.payload)).type as string;
        if (type === "subscribe" || type === "unsubscribe") sent.push(type);
      }),
    );
    const { emails, password } = server().demo;
    await loginToShell(page, emails.admin!, password);
    await subscriptions(page, 1);
    expect(sent).toEqual(["subscribe"]);

    // Home and users both use the organization topic: moving between them keeps it.
    await page.click(sel("nav-users"));
    await page.locator(sel("users-table")).waitFor({ state: "visible" });
    await page.click(sel("nav-home"));
    await page.locator(sel("org-name")).waitFor({ state: "visible" });
    await subscriptions(page, 1);
    expect(sent).toEqual(["subscribe"]);

    // The profile uses no topic: the last user left, so the connection unsubscribes.
    await page.click(sel("nav-profile"));
    await subscriptions(page, 0);
    expect(sent).toEqual(["subscribe", "unsubscribe"]);
    await page.click(sel("nav-home"));
    await subscriptions(page, 1);
    expect(sent).toEqual(["subscribe", "unsubscribe", "subscribe"]);
  });

  browserTest("the users page reloads its list once per organization event", async ({ page }) => {
    let listings = 0;
    page.on("request", (r) => {
      if (r.method() === "GET" && new URL(r.url()).pathname === "/api/users") listings += 1;
    });
    const { emails, password } = server().demo;
    await loginToShell(page, emails.admin!, password);
    await page.click(sel("nav-users"));
    await page.locator(sel("users-table")).waitFor({ state: "visible" });
    await subscriptions(page, 1);
    const before = listings;

    // Another session creates two users, one after the other; the newest come first, so
    // each row is on page one. Once the second row shows, the reload for the first event
    // and any needless extra one have long finished: exactly one reload per event.
    const { api } = await loginDemo("admin");
    for (const n of [1, 2]) {
      const { email } = await createUser(api, "agent");
      await page.locator(sel("user-row", `[data-email="${email}"]`)).waitFor({ state: "visible" });
      expect(listings - before, `list reloads after event ${n}`).toBe(n);
    }
  });
});

/** Waits for the header to show `n` topics confirmed by the server on an open socket. */
async function subscriptions(page: Page, n: number) {
  await page.locator(sel("ws-state", `[data-state="open"][data-subscriptions="${n}"]`)).waitFor({ state: "visible" });
}

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
