// Browser tests drive Debian's chromium through playwright-core (no downloaded browsers).
// Elements are found only by `data-test` attributes, never by CSS classes or visible text.
// A failing test leaves a full-page screenshot in test-results/ and its error names it,
// with the page's URL and any script errors the page logged.

import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { LOCALES_DIR, RESULTS_DIR, WEB_DIST } from "./harness";
import { server } from "./world";

export const CHROMIUM = process.env.CC_E2E_CHROMIUM ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Step timeout inside a test, shorter than the test's, so a failure names its step. */
const STEP_MS = 10_000;

/** `[data-test="name"]`, optionally with more attribute filters. */
export const sel = (name: string, extra = "") => `[data-test="${name}"]${extra}`;

export interface BrowserWorld {
  /** The page a failure screenshots; `watch` switches it. */
  page: Page;
  context: BrowserContext;
  baseUrl: string;
  /** Makes `page` the one whose errors are reported and which a failure screenshots. */
  watch(page: Page): void;
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 80);
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`chromium not found at ${CHROMIUM}: apt-get install chromium (or set CC_E2E_CHROMIUM)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** A fresh context (own storage and cache) with a page on the server. */
export async function openPage(browser: Browser): Promise<BrowserWorld> {
  const baseUrl = server().baseUrl;
  const context = await browser.newContext({ baseURL: baseUrl, locale: "en-US", viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(STEP_MS);
  const page = await context.newPage();
  return { page, context, baseUrl, watch: () => undefined };
}

/**
 * Registers a browser for this file and answers `browserTest`, which gives each test a
 * fresh context and page, and screenshots the page when the test fails.
 */
export function useBrowser() {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  function browserTest(name: string, body: (w: BrowserWorld) => Promise<void>, timeout?: number) {
    test(
      name,
      async () => {
        if (!browser) throw new Error("chromium did not start");
        const world = await openPage(browser);
        const logged: string[] = [];
        world.watch = (page: Page) => {
          world.page = page;
          page.on("pageerror", (e) => logged.push(`pageerror: ${e.message}`));
          page.on("console", (m) => {
            if (m.type() === "error") logged.push(`console.error: ${m.text()}`);
          });
          page.on("response", (r) => {
            if (r.status() >= 400) logged.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
          });
        };
        world.watch(world.page);
        const own = world.context;
        try {
          await requireSpa(world.page);
          await body(world);
        } catch (e) {
          mkdirSync(RESULTS_DIR, { recursive: true });
          const file = basename(expect.getState().testPath ?? "browser", ".test.ts");
          const shot = join(RESULTS_DIR, `${slug(file)}--${slug(name)}.png`);
          const saved = await world.page
            .screenshot({ path: shot, fullPage: true })
            .then(() => shot)
            .catch((err: Error) => `(no screenshot: ${err.message})`);
          const err = e instanceof Error ? e : new Error(String(e));
          err.message += `\n  page: ${world.page.url()}\n  screenshot: ${saved}`;
          if (logged.length) err.message += `\n  page errors:\n    ${logged.slice(0, 10).join("\n    ")}`;
          throw err;
        } finally {
          await own.close();
          if (world.page.context() !== own) await world.page.context().close();
        }
      },
      timeout,
    );
  }
  return { browserTest };
}

/** Fails (never skips) when the SPA was not built, after showing what `/` serves instead. */
async function requireSpa(page: Page) {
  const index = join(WEB_DIST, "index.html");
  if (existsSync(index)) return;
  await page.goto("/").catch(() => undefined);
  throw new Error(
    `The web app is not built: ${index} does not exist. Build it (trunk build in web/, ` +
      `or cargo xtask test) before the browser tests; cc-api serves CC_WEB_DIR=${WEB_DIST} at /.`,
  );
}

/** Waits until the element is visible and has this exact (trimmed) text. */
export async function waitForText(page: Page, selector: string, expected: string) {
  try {
    await page.waitForFunction(
      ([s, t]) => document.querySelector(s!)?.textContent?.trim() === t,
      [selector, expected] as const,
      { timeout: STEP_MS },
    );
  } catch {
    const actual = await page.locator(selector).first().textContent({ timeout: 1000 }).catch(() => null);
    throw new Error(`${selector}: expected text ${JSON.stringify(expected)}, found ${JSON.stringify(actual?.trim() ?? null)}`);
  }
}

/** Waits until the element is visible and its trimmed text is not empty; answers the text. */
export async function waitForNonEmpty(page: Page, selector: string): Promise<string> {
  const el = page.locator(selector).first();
  await el.waitFor({ state: "visible" });
  await page.waitForFunction((s) => (document.querySelector(s)?.textContent ?? "").trim().length > 0, selector, {
    timeout: STEP_MS,
  });
  return ((await el.textContent()) ?? "").trim();
}

/** Waits for `document.documentElement.lang` to become `lang`. */
export async function waitForDocumentLang(page: Page, lang: string) {
  try {
    await page.waitForFunction((l) => document.documentElement.lang === l, lang, { timeout: STEP_MS });
  } catch {
    const actual = await page.evaluate(() => document.documentElement.lang).catch(() => "?");
    throw new Error(`<html lang> expected ${JSON.stringify(lang)}, found ${JSON.stringify(actual)}`);
  }
}

/** Whether the element is visible, enabled and clickable (what a person needs to use it). */
export async function waitInteractive(page: Page, selector: string, timeout = STEP_MS) {
  await page.waitForFunction(
    (s) => {
      const el = document.querySelector(s);
      if (!el) return false;
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return (
        r.width > 0 &&
        r.height > 0 &&
        style.visibility !== "hidden" &&
        !el.matches(":disabled") &&
        el.getAttribute("aria-disabled") !== "true"
      );
    },
    selector,
    { timeout, polling: "raf" },
  );
}

/** Opens `/` (of `origin`, else the server) and signs in through the login form. */
export async function loginViaForm(page: Page, email: string, password: string, origin?: string) {
  await page.goto(origin ? `${origin}/` : "/");
  await page.locator(sel("login-form")).waitFor({ state: "visible" });
  await page.fill(sel("login-email"), email);
  await page.fill(sel("login-password"), password);
  await waitInteractive(page, sel("login-submit"));
  await page.click(sel("login-submit"));
}

/** Signs in and waits for the application shell. */
export async function loginToShell(page: Page, email: string, password: string, origin?: string) {
  await loginViaForm(page, email, password, origin);
  await page.locator(sel("shell")).waitFor({ state: "visible" });
}

/** A string of the web app by its dotted key, section first (`users.list.title` is
 * `list.title` in the `users` section of web/locales/<lang>.json). */
export function translate(lang: string, key: string): string {
  const file = join(LOCALES_DIR, `${lang}.json`);
  if (!existsSync(file)) throw new Error(`locale file ${file} does not exist`);
  let node: unknown = JSON.parse(readFileSync(file, "utf8"));
  for (const part of key.split(".")) {
    node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  }
  if (typeof node !== "string") throw new Error(`${file} has no string at ${key}`);
  return node;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
