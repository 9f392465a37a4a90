import type { Page } from "playwright-core";
import { describe, expect } from "vitest";
import { loginToShell, sel, translate, useBrowser, waitForText } from "../../src/browser";
import { api, createUser, loginDemo, unique } from "../../src/world";

const { browserTest } = useBrowser();

/** The names of the tree's rows, in the order shown. */
async function rows(page: Page): Promise<string[]> {
  return page.locator(sel("team-row")).evaluateAll((els) => els.map((e) => e.getAttribute("data-name") ?? ""));
}

const row = (name: string) => sel("team-row", `[data-name="${name}"]`);

describe("teams page", () => {
  browserTest("an admin builds a tree, moves a team to the top, and a team's children block its deletion", async ({ page }) => {
    const { api: demoAdmin } = await loginDemo("admin");
    const { email, password } = await createUser(demoAdmin, "admin");
    await loginToShell(page, email, password);
    await page.click(sel("nav-teams"));
    await page.locator(sel("team-form")).waitFor({ state: "visible" });

    const parent = unique("Parent");
    const child = unique("Child");
    await page.fill(sel("team-name"), parent);
    await page.click(sel("team-submit"));
    await page.locator(row(parent)).waitFor({ state: "visible" });
    await page.fill(sel("team-name"), child);
    await page.selectOption(sel("team-parent-new"), { label: parent });
    await page.click(sel("team-submit"));
    await page.locator(row(child)).waitFor({ state: "visible" });
    // The child follows its parent, indented.
    await expect.poll(async () => {
      const names = await rows(page);
      return names.indexOf(child) - names.indexOf(parent);
    }).toBe(1);

    // Deleting the parent without saying where its child goes is refused, naming why.
    await page.locator(`${row(parent)} ${sel("team-delete")}`).click();
    await page.locator(`${row(parent)} ${sel("error-alert")}`).waitFor({ state: "visible" });
    const stored = await demoAdmin.GET("/api/teams", { params: { query: { q: child } } });
    expect(stored.data?.items[0]?.parent_team_id).toBeTruthy();

    // Moving the child to the top level leaves the parent empty; then it goes.
    await page.locator(`${row(child)} ${sel("team-parent")}`).selectOption("");
    await expect
      .poll(async () => (await demoAdmin.GET("/api/teams", { params: { query: { q: child } } })).data?.items[0]?.parent_team_id ?? null)
      .toBeNull();
    await page.locator(`${row(parent)} ${sel("team-delete")}`).click();
    await page.locator(row(parent)).waitFor({ state: "detached" });
    await expect.poll(() => rows(page), { timeout: 10_000 }).toContain(child);
  });
});

describe("team members", () => {
  browserTest("a Czech supervisor opens a team's members and sees an agent go ready, live", async ({ page }) => {
    const { api: demoAdmin } = await loginDemo("admin");
    const supervisor = await createUser(demoAdmin, "supervisor");
    const czech = await demoAdmin.PATCH("/api/users/{id}", { params: { path: { id: supervisor.user.id } }, body: { language: "cs" } });
    expect(czech.response.status).toBe(200);
    const name = unique("Směna");
    const team = await demoAdmin.POST("/api/teams", { body: { name, manager_id: supervisor.user.id } });
    expect(team.response.status).toBe(201);
    const agent = await createUser(demoAdmin, "agent");
    const profile = await demoAdmin.POST("/api/agents", { body: { user_id: agent.user.id, team_id: team.data!.id } });
    expect(profile.response.status).toBe(201);

    await loginToShell(page, supervisor.email, supervisor.password);
    await page.click(sel("nav-teams"));
    await waitForText(page, sel("page-title"), translate("cs", "teams.title"));
    const row = page.locator(sel("team-row", `[data-name="${name}"]`));
    await row.locator(sel("team-members-toggle")).click();
    const member = row.locator(sel("team-member", `[data-email="${agent.email}"]`));
    await expect.poll(() => member.locator(sel("agent-state")).getAttribute("data-state")).toBe("offline");
    await expect.poll(() => member.locator(sel("agent-state")).textContent()).toBe(translate("cs", "presence.states.offline"));

    const { api: agentApi } = await api().loginAs(agent.email, agent.password);
    const loggedIn = await agentApi.POST("/api/agents/me/state", { body: { event: "log_in" } });
    expect(loggedIn.response.status).toBe(200);
    await expect.poll(() => member.locator(sel("agent-state")).getAttribute("data-state")).toBe("available");
    await expect.poll(() => member.locator(sel("agent-state")).textContent()).toBe(translate("cs", "presence.states.available"));
  });
});
