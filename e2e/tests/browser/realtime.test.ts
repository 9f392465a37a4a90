import { describe, expect } from "vitest";
import { loginToShell, sel, useBrowser } from "../../src/browser";
import { createUser, loginDemo, server } from "../../src/world";

const { browserTest } = useBrowser();

describe("realtime", () => {
  browserTest("the home page shows the organization's events as they happen", async ({ page }) => {
    const { emails, password } = server().demo;
    await loginToShell(page, emails.admin!, password);
    // The header shows the socket open and the server's confirmation of the home page's
    // `organization` subscription; from then on every organization event reaches the page.
    await page
      .locator(sel("ws-state", '[data-state="open"][data-subscriptions="1"]'))
      .waitFor({ state: "visible" });
    const before = await page.locator(sel("event")).count();

    const { api } = await loginDemo("admin");
    await createUser(api, "agent");

    await page.waitForFunction(
      ([selector, count]) => document.querySelectorAll(selector as string).length > (count as number),
      [sel("event"), before] as const,
    );
    expect(await page.locator(sel("event")).count()).toBeGreaterThan(before);
  });
});
