import { describe, expect } from "vitest";
import { loginToShell, sel, useBrowser } from "../../src/browser";
import { createUser, loginDemo, unique } from "../../src/world";

const { browserTest } = useBrowser();

describe("agents page", () => {
  browserTest("an admin gives a user a profile, sets a skill level and languages, and the list shows them", async ({ page }) => {
    const { api: demoAdmin } = await loginDemo("admin");
    const { email, password } = await createUser(demoAdmin, "admin");
    const { user, email: agentEmail } = await createUser(demoAdmin, "agent");
    const skillName = unique("Billing");
    const skill = await demoAdmin.POST("/api/skills", { body: { name: skillName } });
    expect(skill.response.status).toBe(201);
    const extension = String(100000 + Math.floor(Math.random() * 899999));

    await loginToShell(page, email, password);
    await page.click(sel("nav-agents"));
    await page.locator(sel("agent-form")).waitFor({ state: "visible" });
    await expect.poll(() => page.locator(`${sel("agent-user")} option[value="${user.id}"]`).count()).toBe(1);
    await page.selectOption(sel("agent-user"), user.id);
    await page.fill(sel("agent-extension-new"), extension);
    await page.click(sel("agent-submit"));
    const row = sel("agent-row", `[data-email="${agentEmail}"]`);
    await page.locator(row).waitFor({ state: "visible" });
    await expect.poll(() => page.locator(`${row} ${sel("agent-extension")}`).textContent()).toBe(extension);

    await page.locator(`${row} ${sel("agent-edit")}`).click();
    const editor = page.locator(sel("agent-editor"));
    await editor.waitFor({ state: "visible" });
    await editor.locator(`${sel("agent-skill-level", `[data-name="${skillName}"]`)} select`).selectOption("7");
    await editor.locator(sel("agent-languages-input")).fill("es-mx, cs");
    await editor.locator(sel("agent-save")).click();
    await editor.waitFor({ state: "detached" });

    await expect
      .poll(async () => {
        const { data } = await demoAdmin.GET("/api/agents", { params: { query: { q: agentEmail } } });
        const agent = data?.items[0];
        return { skills: agent?.skills.map((s) => [s.name, s.level]), languages: agent?.languages };
      })
      .toEqual({ skills: [[skillName, 7]], languages: ["es-MX", "cs"] });
    await expect.poll(() => page.locator(`${row} ${sel("agent-skills")}`).textContent()).toBe(`${skillName} 7`);

    // The skill is held now: deleting it is refused, naming the agent.
    const refused = await demoAdmin.DELETE("/api/skills/{id}", { params: { path: { id: skill.data!.id } } });
    expect(refused.response.status).toBe(409);
    expect((refused.error as { conflicts?: { kind: string }[] }).conflicts?.[0]?.kind).toBe("agent");
  });
});
