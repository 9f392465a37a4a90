// The README's picture of the web app. It is taken from the running app on every run and
// written to docs/images/ when the interface changed since the committed one: when the
// page's set of elements (data-test names), its stylesheet or its English words differ
// from the fingerprint stored beside the picture. Data on the page (names, times) do not
// count, so the committed picture only changes with the interface.

import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { loginToShell, sel, useBrowser } from "../../src/browser";
import { LOCALES_DIR, REPO_ROOT } from "../../src/harness";
import { server } from "../../src/world";

const { browserTest } = useBrowser();
const PICTURE = join(REPO_ROOT, "docs", "images", "web-app.png");
const FINGERPRINT = join(REPO_ROOT, "docs", "images", "web-app.fingerprint");

describe("the README's screenshot", () => {
  browserTest("is the current interface", async ({ page }) => {
    const { emails, password } = server().demo;
    await loginToShell(page, emails.admin!, password);
    await page.click(sel("nav-users"));
    await page.locator(sel("users-table")).waitFor({ state: "visible" });
    await page.locator(`${sel("ws-state")}[data-state="open"]`).waitFor({ state: "visible" });
    // The demo organization's own people, not what other tests created.
    await page.fill(sel("users-q"), "@demo.cc-lite.test");
    await page.press(sel("users-q"), "Enter"); // the filter applies on change
    await page.locator(sel("users-q")).blur();
    await expect.poll(() => page.locator(sel("user-row")).count(), { timeout: 10_000 }).toBe(4);

    const shape = await page.evaluate(() => {
      const names = new Set<string>();
      document.querySelectorAll("[data-test]").forEach((e) => {
        names.add(e.getAttribute("data-test")!.replace(/[0-9a-f-]{8,}|\d+/g, "#"));
      });
      const css = Array.from(document.styleSheets)
        .flatMap((s) => Array.from(s.cssRules).map((r) => r.cssText))
        .join("\n");
      return { names: [...names].sort(), css };
    });
    expect(shape.names.length).toBeGreaterThan(10);
    const words = readFileSync(join(LOCALES_DIR, "en.json"), "utf8");
    const fingerprint = createHash("sha256")
      .update(JSON.stringify(shape.names))
      .update(shape.css)
      .update(words)
      .digest("hex");
    const stored = existsSync(FINGERPRINT) ? readFileSync(FINGERPRINT, "utf8").trim() : "";
    if (stored !== fingerprint || !existsSync(PICTURE)) {
      await page.screenshot({ path: PICTURE });
      writeFileSync(FINGERPRINT, `${fingerprint}\n`);
    }
    const png = readFileSync(PICTURE);
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(readFileSync(FINGERPRINT, "utf8").trim()).toBe(fingerprint);
    expect(readFileSync(join(REPO_ROOT, "README.md"), "utf8")).toContain("docs/images/web-app.png");
  });
});
