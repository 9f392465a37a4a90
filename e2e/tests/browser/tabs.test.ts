// Several tabs share one session through localStorage. The server rotates refresh tokens and
// treats a second use of a rotated one as theft (it revokes the whole session), so tabs must
// take turns renewing and pick up what another tab stored instead of renewing again.

import type { Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { loginToShell, sel, useBrowser } from "../../src/browser";
import { CcApi, type TokenResponse } from "../../src/api/client";
import { startServer, type RunningServer } from "../../src/harness";
import { server } from "../../src/world";

const { browserTest } = useBrowser();

/** The access-token lifetime of this file's own server: the server's minimum. */
const TTL_SECS = 60;

/** Screens whose every visit makes an authenticated call, and what may show once it answered. */
const SCREENS: [nav: string, loaded: string[]][] = [
  ["nav-users", ["users-table"]],
  ["nav-audit", ["audit-table"]],
  ["nav-api-keys", ["api-keys-table", "api-keys-empty"]],
];

/** What the pages' own calls to the token endpoints answered. */
class TokenTraffic {
  renewals = 0;
  refused: string[] = [];
  latest: TokenResponse | undefined;
  private pending: Promise<void>[] = [];

  watch(page: Page) {
    page.on("response", (r) => this.pending.push(this.record(r)));
  }

  private async record(r: Response) {
    const path = new URL(r.url()).pathname;
    if (path !== "/api/auth/refresh" && path !== "/api/auth/login") return;
    const body = await r.json().catch(() => undefined);
    if (r.status() !== 200) {
      this.refused.push(`${path} ${r.status()} ${JSON.stringify(body)}`);
      return;
    }
    if (path === "/api/auth/refresh") this.renewals += 1;
    this.latest = body as TokenResponse;
  }

  async settled() {
    await Promise.all(this.pending);
  }
}

/** Opens a screen through the navigation; fails at once if the page was signed out. */
async function visit(page: Page, name: string, [nav, loaded]: [string, string[]]) {
  await page.click(sel(nav));
  const shown = [...loaded, "login-form"].map((s) => sel(s)).join(", ");
  await page.locator(shown).first().waitFor({ state: "visible" });
  if (await page.locator(sel("login-form")).isVisible()) {
    throw new Error(`page ${name} was signed out while opening ${nav}`);
  }
}

describe("tabs of one session", () => {
  let shortLived: RunningServer | undefined;
  beforeAll(async () => {
    shortLived = await startServer({ env: { CC_ACCESS_TOKEN_TTL: String(TTL_SECS) } });
  });
  afterAll(async () => {
    await shortLived?.stop();
  });

  browserTest(
    "two tabs stay signed in across two token renewals and the session is not revoked",
    async (world) => {
      const { baseUrl, demo } = shortLived!;
      const traffic = new TokenTraffic();
      const a = world.page;
      traffic.watch(a);
      const started = Date.now();
      await loginToShell(a, demo.emails.admin!, demo.password, baseUrl);
      // Same context, same localStorage: the second tab starts from the first tab's tokens.
      const b = await world.context.newPage();
      world.watch(b);
      traffic.watch(b);
      await b.goto(`${baseUrl}/`);
      await b.locator(sel("shell")).waitFor({ state: "visible" });

      // Both tabs keep calling the API, in turns, until the first access token has expired
      // and the session was renewed at least twice (a tab renews at half the lifetime).
      const hardStop = started + (TTL_SECS + 20) * 1000;
      for (let i = 0; ; i++) {
        const screen = SCREENS[i % SCREENS.length]!;
        await visit(a, "A", screen);
        await visit(b, "B", screen);
        await traffic.settled();
        expect(traffic.refused, "refused token calls").toEqual([]);
        const outlived = Date.now() - started > TTL_SECS * 1000;
        if ((outlived && traffic.renewals >= 2) || Date.now() > hardStop) break;
      }
      await traffic.settled();
      expect(traffic.renewals, "renewals").toBeGreaterThanOrEqual(2);
      for (const page of [a, b]) {
        expect(await page.locator(sel("shell")).isVisible()).toBe(true);
        expect(await page.locator(sel("login-form")).count()).toBe(0);
      }

      // The session is alive on the server: the latest tokens still work.
      const latest = traffic.latest!;
      const cc = new CcApi(baseUrl);
      const me = await cc.authed(latest.access_token).GET("/api/auth/me");
      expect(me.response.status, JSON.stringify(me.error)).toBe(200);
      const renewed = await cc.anon().POST("/api/auth/refresh", { body: { refresh_token: latest.refresh_token } });
      expect(renewed.response.status, JSON.stringify(renewed.error)).toBe(200);
    },
    (TTL_SECS + 60) * 1000,
  );

  browserTest("signing in and out in one tab does the same in the other, without a reload", async (world) => {
    const { emails, password } = server().demo;
    const a = world.page;
    const b = await world.context.newPage();
    world.watch(b);
    const crashes: string[] = [];
    for (const page of [a, b]) page.on("pageerror", (e) => crashes.push(e.message));
    await b.goto("/");
    await b.locator(sel("login-form")).waitFor({ state: "visible" });

    await loginToShell(a, emails.admin!, password);
    await b.locator(sel("shell")).waitFor({ state: "visible" });

    await a.click(sel("logout"));
    await a.locator(sel("login-form")).waitFor({ state: "visible" });
    await b.locator(sel("login-form")).waitFor({ state: "visible" });
    expect(await b.locator(sel("shell")).count()).toBe(0);

    // Still a working app (nothing broke while the shell went away): sign in again there.
    await b.fill(sel("login-email"), emails.admin!);
    await b.fill(sel("login-password"), password);
    await b.click(sel("login-submit"));
    await b.locator(sel("shell")).waitFor({ state: "visible" });
    await a.locator(sel("shell")).waitFor({ state: "visible" });
    expect(crashes, "script errors").toEqual([]);
  });
});
