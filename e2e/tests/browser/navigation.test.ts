// The shell's navigation and router come from one route table with a role per screen:
// a user sees only the screens of their role, and any other path answers "not found".

import type { Page } from "playwright-core";
import { describe, expect } from "vitest";
import { loginToShell, sel, useBrowser } from "../../src/browser";
import { server } from "../../src/world";

const { browserTest } = useBrowser();

/** Every screen: its navigation entry, its path, and what shows once it is open. */
const SCREENS = [
  { nav: "nav-home", path: "/", shows: "org-name", adminOnly: false },
  { nav: "nav-users", path: "/users", shows: "users-table", adminOnly: true },
  { nav: "nav-teams", path: "/teams", shows: "teams", adminOnly: false },
  { nav: "nav-agents", path: "/agents", shows: "agents-q", adminOnly: false },
  { nav: "nav-shifts", path: "/shifts", shows: "shifts-grid", adminOnly: false },
  { nav: "nav-skills", path: "/skills", shows: "skill-form", adminOnly: false },
  { nav: "nav-api-keys", path: "/api-keys", shows: "api-key-form", adminOnly: true },
  { nav: "nav-audit", path: "/audit", shows: "audit-table", adminOnly: true },
  { nav: "nav-profile", path: "/profile", shows: "profile-form", adminOnly: false },
];

async function navEntries(page: Page): Promise<string[]> {
  return page.$$eval('[data-test^="nav-"]', (links) => links.map((a) => a.getAttribute("data-test") ?? ""));
}

describe("navigation", () => {
  browserTest("an admin's navigation opens every screen at its path", async ({ page }) => {
    const { emails, password } = server().demo;
    await loginToShell(page, emails.admin!, password);
    expect(await navEntries(page)).toEqual(SCREENS.map((s) => s.nav));
    for (const screen of [...SCREENS.slice(1), SCREENS[0]!]) {
      await page.click(sel(screen.nav));
      await page.locator(sel(screen.shows)).waitFor({ state: "visible" });
      expect(new URL(page.url()).pathname).toBe(screen.path);
    }
    // A deep link opens its screen after a reload (the session is kept).
    await page.goto("/audit");
    await page.locator(sel("audit-table")).waitFor({ state: "visible" });
  });

  browserTest("an agent sees only their screens; the others and unknown paths answer not found", async ({ page }) => {
    const { emails, password } = server().demo;
    await loginToShell(page, emails.agent!, password);
    expect(await navEntries(page)).toEqual(SCREENS.filter((s) => !s.adminOnly).map((s) => s.nav));
    for (const path of [...SCREENS.filter((s) => s.adminOnly).map((s) => s.path), "/no-such-screen"]) {
      await page.goto(path);
      await page.locator(sel("not-found")).waitFor({ state: "visible" });
      expect(await page.locator(sel("shell")).isVisible(), path).toBe(true);
    }
    await page.click(sel("nav-profile"));
    await page.locator(sel("profile-form")).waitFor({ state: "visible" });
  });
});
