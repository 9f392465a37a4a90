import { describe, expect } from "vitest";
import { loginToShell, sel, translate, useBrowser, waitForText } from "../../src/browser";
import { createUser, loginDemo, unique } from "../../src/world";

const { browserTest } = useBrowser();

describe("skills page", () => {
  browserTest("a supervisor adds, renames and removes a skill; an agent only reads", async ({ page, context, baseUrl }) => {
    const { api: demoAdmin } = await loginDemo("admin");
    const { email, password } = await createUser(demoAdmin, "supervisor");
    await loginToShell(page, email, password);
    await page.click(sel("nav-skills"));
    await waitForText(page, sel("page-title"), translate("en", "skills.title"));

    const name = unique("Billing");
    await page.fill(sel("skill-new-name"), name);
    await page.click(sel("skill-submit"));
    const row = page.locator(sel("skill-row", `[data-name="${name}"]`));
    await row.waitFor({ state: "visible" });
    // A second skill of the same name in another case is refused by the server, on the field.
    await page.fill(sel("skill-new-name"), name.toUpperCase());
    await page.click(sel("skill-submit"));
    await page.locator(sel("field-error-name")).waitFor({ state: "visible" });

    const renamed = `${name} 2`;
    await row.locator(sel("skill-name")).fill(renamed);
    // Leaving the field commits the name (a `change`); the row then re-renders under it.
    await row.locator(sel("skill-name")).blur();
    await page.locator(sel("skill-row", `[data-name="${renamed}"]`)).waitFor({ state: "visible" });
    const listed = await demoAdmin.GET("/api/skills", { params: { query: { q: renamed } } });
    expect(listed.data?.items.map((s) => s.name)).toEqual([renamed]);

    const agent = await createUser(demoAdmin, "agent");
    // A context of its own: tabs of one context share the sign-in.
    const agentContext = await context.browser()!.newContext({ baseURL: baseUrl, locale: "en-US" });
    const agentPage = await agentContext.newPage();
    await loginToShell(agentPage, agent.email, agent.password);
    await agentPage.click(sel("nav-skills"));
    await agentPage.locator(sel("skill-row", `[data-name="${renamed}"]`)).waitFor({ state: "visible" });
    expect(await agentPage.locator(sel("skill-form")).count()).toBe(0);
    expect(await agentPage.locator(sel("skill-delete")).count()).toBe(0);
    await agentContext.close();

    await page.locator(sel("skill-row", `[data-name="${renamed}"]`)).locator(sel("skill-delete")).click();
    await page.locator(sel("skill-row", `[data-name="${renamed}"]`)).waitFor({ state: "detached" });
  });
});
