// Live presence in the browser: the agent's state bar and the supervisor's agents list
// follow each other without a reload, in Czech on the agent's side.

import { describe, expect } from "vitest";
import { loginToShell, sel, translate, useBrowser } from "../../src/browser";
import { createUser, loginDemo, unique } from "../../src/world";

const { browserTest } = useBrowser();

describe("presence", () => {
  browserTest("a supervisor forces an agent to not ready and the Czech agent's page shows it; the agent goes ready and the supervisor's list follows", async ({ page, context, baseUrl }) => {
    const { api: demoAdmin } = await loginDemo("admin");
    const supervisor = await createUser(demoAdmin, "supervisor");
    const agent = await createUser(demoAdmin, "agent");
    const team = await demoAdmin.POST("/api/teams", { body: { name: unique("Floor"), manager_id: supervisor.user.id } });
    expect(team.response.status).toBe(201);
    const profile = await demoAdmin.POST("/api/agents", { body: { user_id: agent.user.id, team_id: team.data!.id } });
    expect(profile.response.status).toBe(201);
    const czech = await demoAdmin.PATCH("/api/users/{id}", { params: { path: { id: agent.user.id } }, body: { language: "cs" } });
    expect(czech.response.status).toBe(200);

    // The agent's desktop: the state bar, in Czech.
    const agentContext = await context.browser()!.newContext({ baseURL: baseUrl, locale: "cs-CZ" });
    const agentPage = await agentContext.newPage();
    await loginToShell(agentPage, agent.email, agent.password);
    const bar = agentPage.locator(sel("state-bar"));
    await bar.waitFor({ state: "visible" });
    await agentPage.click(sel("state-log-in"));
    await expect.poll(() => bar.getAttribute("data-state")).toBe("available");

    // The supervisor's list shows the agent available, then forces a break.
    await loginToShell(page, supervisor.email, supervisor.password);
    await page.click(sel("nav-agents"));
    const row = sel("agent-row", `[data-email="${agent.email}"]`);
    await page.locator(row).waitFor({ state: "visible" });
    await expect.poll(() => page.locator(`${row} ${sel("agent-state")}`).getAttribute("data-state")).toBe("available");
    await page.locator(`${row} ${sel("agent-force")}`).selectOption("not_ready:break");

    await expect.poll(() => bar.getAttribute("data-state")).toBe("not_ready");
    await agentPage.locator(sel("state-bar-forced")).waitFor({ state: "visible" });
    await expect
      .poll(() => agentPage.locator(sel("state-bar-state")).textContent())
      .toBe(`${translate("cs", "presence.states.not_ready")} · ${translate("cs", "presence.reasons.short_break")}`);

    // The agent goes ready; the supervisor's row follows without a reload.
    await agentPage.click(sel("state-ready"));
    await expect.poll(() => bar.getAttribute("data-state")).toBe("available");
    await expect.poll(() => page.locator(`${row} ${sel("agent-state")}`).getAttribute("data-state")).toBe("available");
    const stored = await demoAdmin.GET("/api/agents/{id}", { params: { path: { id: profile.data!.id } } });
    expect(stored.data?.presence.state).toBe("available");
    expect(stored.data?.presence.version).toBe(3);
    await agentContext.close();
  });
});
