// The users, API keys and audit screens share one list component: filters, the table (or
// its empty message) and the pager. Each test makes the rows it looks for.

import type { Page } from "playwright-core";
import { describe, expect } from "vitest";
import { loginToShell, sel, useBrowser, waitForNonEmpty } from "../../src/browser";
import { createUser, loginDemo, PASSWORD, unique } from "../../src/world";

const { browserTest } = useBrowser();

/** Signs in as a new admin of the demo organization. */
async function signInAsNewAdmin(page: Page) {
  const { api } = await loginDemo("admin");
  const { email, password } = await createUser(api, "admin");
  await loginToShell(page, email, password);
  return api;
}

async function rowCount(page: Page, row: string) {
  return page.locator(sel(row)).count();
}

describe("lists", () => {
  browserTest("the users list filters, pages, and starts again at page one on a new filter", async ({ page }) => {
    const admin = await signInAsNewAdmin(page);
    // 22 users (a page holds 20) that only this test's search finds: 12 agents, 10 analysts.
    const tag = unique("pages");
    for (let i = 0; i < 22; i++) {
      const role = i < 12 ? "agent" : "analyst";
      const { response } = await admin.POST("/api/users", {
        body: { email: `${tag}-${i}@example.test`, display_name: `Paged ${i}`, role, password: PASSWORD },
      });
      expect(response.status).toBe(201);
    }
    await page.click(sel("nav-users"));
    await page.locator(sel("users-table")).waitFor({ state: "visible" });
    await page.fill(sel("users-q"), tag);
    await page.press(sel("users-q"), "Enter");
    await page.waitForFunction((s) => document.querySelectorAll(s).length === 20, sel("user-row"));
    expect(await page.locator(sel("pager-prev")).isDisabled()).toBe(true);

    await page.click(sel("pager-next"));
    await page.waitForFunction((s) => document.querySelectorAll(s).length === 2, sel("user-row"));
    expect(await page.locator(sel("pager-next")).isDisabled()).toBe(true);
    expect(await page.locator(sel("pager-prev")).isDisabled()).toBe(false);

    // A new filter shows its first page, not the second.
    await page.selectOption(sel("users-role-filter"), "agent");
    await page.waitForFunction((s) => document.querySelectorAll(s).length === 12, sel("user-row"));
    expect(await page.locator(sel("pager-prev")).isDisabled()).toBe(true);
    expect(await waitForNonEmpty(page, sel("pager-range"))).toContain("12");

    await page.fill(sel("users-q"), `${tag}-nobody`);
    await page.press(sel("users-q"), "Enter");
    await page.locator(sel("users-empty")).waitFor({ state: "visible" });
    expect(await rowCount(page, "user-row")).toBe(0);
  });

  browserTest("API keys: a created key is listed, and revoking it shows it revoked", async ({ page }) => {
    await signInAsNewAdmin(page);
    await page.click(sel("nav-api-keys"));
    await page.locator(`${sel("api-keys-table")}, ${sel("api-keys-empty")}`).first().waitFor({ state: "visible" });
    const name = unique("browser-key");
    await page.fill(sel("api-key-name"), name);
    await page.click(sel("api-key-submit"));
    await waitForNonEmpty(page, sel("api-key-secret"));
    const row = page.locator(`${sel("api-keys-table")} ${sel("api-key-row", `[data-name="${name}"]`)}`);
    await row.waitFor({ state: "visible" });
    expect(await row.getAttribute("data-revoked")).toBe("false");

    await row.locator(sel("api-key-revoke")).click();
    await page.locator(sel("api-key-row", `[data-name="${name}"][data-revoked="true"]`)).waitFor({ state: "visible" });
  });

  browserTest("the audit log filters by action", async ({ page }) => {
    await signInAsNewAdmin(page);
    await page.click(sel("nav-audit"));
    await page.locator(sel("audit-table")).waitFor({ state: "visible" });

    await page.fill(sel("audit-action"), "create_user");
    await page.press(sel("audit-action"), "Enter");
    await page.waitForFunction(
      (s) => {
        const rows = [...document.querySelectorAll(s)];
        return rows.length > 0 && rows.every((r) => r.getAttribute("data-action") === "create_user");
      },
      sel("audit-row"),
    );

    await page.fill(sel("audit-action"), unique("no-such-action"));
    await page.press(sel("audit-action"), "Enter");
    await page.locator(sel("audit-empty")).waitFor({ state: "visible" });
    await page.selectOption(sel("audit-outcome"), "failure");
    await page.locator(sel("audit-empty")).waitFor({ state: "visible" });
  });
});
