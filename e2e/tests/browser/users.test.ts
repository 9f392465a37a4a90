import type { Page } from "playwright-core";
import { describe, expect } from "vitest";
import {
  loginToShell,
  sel,
  translate,
  useBrowser,
  waitForDocumentLang,
  waitForNonEmpty,
  waitForText,
} from "../../src/browser";
import type { Api } from "../../src/api/client";
import { api, createUser, loginDemo, uniqueEmail } from "../../src/world";

const { browserTest } = useBrowser();

async function openUsersPage(page: Page) {
  await page.click(sel("nav-users"));
  await page.locator(sel("users-table")).waitFor({ state: "visible" });
}

/** Polls the profile until its language is `lang` (the SPA saves it in the background). */
async function waitForProfileLanguage(me: Api, lang: string) {
  const deadline = Date.now() + 10_000;
  let last: string | null | undefined;
  while (Date.now() < deadline) {
    const { data } = await me.GET("/api/auth/me");
    last = data?.user.language;
    if (last === lang) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`profile language expected ${lang}, still ${last}`);
}

describe("users page", () => {
  browserTest("switching to Czech translates the page and is kept in the profile", async ({ page }) => {
    // An admin of its own, so the demo admin's language never changes under other tests.
    const { api: demoAdmin } = await loginDemo("admin");
    const { email, password } = await createUser(demoAdmin, "admin");
    const self = (await api().loginAs(email, password)).api;

    await loginToShell(page, email, password);
    await openUsersPage(page);
    await waitForText(page, sel("page-title"), translate("en", "users.list.title"));

    await page.selectOption(sel("lang-select"), "cs");
    await waitForDocumentLang(page, "cs");
    await waitForText(page, sel("page-title"), translate("cs", "users.list.title"));
    await waitForProfileLanguage(self, "cs");

    await page.reload();
    // Whether or not the session survives a reload, the language comes back from the profile.
    await page.locator(`${sel("shell")}, ${sel("login-form")}`).first().waitFor({ state: "visible" });
    if (await page.locator(sel("login-form")).isVisible()) {
      await loginToShell(page, email, password);
      await openUsersPage(page);
    }
    await waitForDocumentLang(page, "cs");
    await waitForText(page, sel("page-title"), translate("cs", "users.list.title"));
    expect(await page.locator(sel("lang-select")).inputValue()).toBe("cs");

    await page.selectOption(sel("lang-select"), "en");
    await waitForDocumentLang(page, "en");
    await waitForText(page, sel("page-title"), translate("en", "users.list.title"));
    await waitForProfileLanguage(self, "en");
  });

  browserTest("a Czech browser shows Czech to a user who never chose a language", async (world) => {
    const { api: demoAdmin } = await loginDemo("admin");
    const { email, password } = await createUser(demoAdmin, "agent");
    const context = await world.context.browser()!.newContext({
      baseURL: world.baseUrl,
      locale: "cs-CZ",
      viewport: { width: 1280, height: 800 },
    });
    const page = await context.newPage();
    world.watch(page);
    await page.goto("/");
    await waitForDocumentLang(page, "cs");
    await loginToShell(page, email, password);
    // Signed in, the app stays Czech: the profile has no language of its own.
    await waitForDocumentLang(page, "cs");
    expect(await page.locator(sel("lang-select")).inputValue()).toBe("cs");
    const self = (await api().loginAs(email, password)).api;
    const { data } = await self.GET("/api/auth/me");
    expect(data?.user.language ?? null).toBeNull();
  });

  browserTest("creating a user shows the field error, then the new row", async ({ page }) => {
    const { api: admin } = await loginDemo("admin");
    const { email, password } = await createUser(admin, "admin");
    await loginToShell(page, email, password);
    await openUsersPage(page);

    await page.click(sel("user-create-open"));
    await page.fill(sel("user-form-email"), "not-an-email");
    await page.fill(sel("user-form-name"), "Browser Made");
    await page.fill(sel("user-form-password"), "a-long-enough-password");
    await page.selectOption(sel("user-form-role"), "agent");
    await page.click(sel("user-form-submit"));
    await waitForNonEmpty(page, sel("field-error-email"));

    const newEmail = uniqueEmail("browser");
    await page.fill(sel("user-form-email"), newEmail);
    await page.click(sel("user-form-submit"));
    await page
      .locator(`${sel("users-table")} ${sel("user-row", `[data-email="${newEmail}"]`)}`)
      .waitFor({ state: "visible" });

    const listed = await admin.GET("/api/users", { params: { query: { q: newEmail } } });
    expect(listed.data?.items.map((u) => [u.email, u.role, u.display_name])).toEqual([
      [newEmail, "agent", "Browser Made"],
    ]);
  });
});
