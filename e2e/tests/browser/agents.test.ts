import { describe, expect } from "vitest";
import { loginToShell, sel, translate, useBrowser } from "../../src/browser";
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

  browserTest("a Spanish admin checks a CSV of agents, sees the wrong cell, fixes it and imports", async ({ page }) => {
    const { api: demoAdmin } = await loginDemo("admin");
    const admin = await createUser(demoAdmin, "admin");
    const spanish = await demoAdmin.PATCH("/api/users/{id}", { params: { path: { id: admin.user.id } }, body: { language: "es" } });
    expect(spanish.response.status).toBe(200);
    const person = await createUser(demoAdmin, "agent");
    const teamName = unique("Importados");
    const team = await demoAdmin.POST("/api/teams", { body: { name: teamName } });
    expect(team.response.status).toBe(201);
    const skillName = unique("Cobros");
    expect((await demoAdmin.POST("/api/skills", { body: { name: skillName } })).response.status).toBe(201);

    await loginToShell(page, admin.email, admin.password);
    await page.click(sel("nav-agents"));
    await page.locator(`${sel("agents-import")} summary`).click();
    const header = "email;name;team;skills;languages";
    await page.fill(sel("agents-import-csv"), `${header}\n${person.email};Ana Import;${teamName};${skillName}:12;es\n`);
    await page.click(sel("agents-import-run"));
    const report = page.locator(sel("agents-import-report"));
    await expect.poll(() => report.getAttribute("data-outcome")).toBe("refused");
    expect(await report.textContent()).toContain(translate("es", "agents.import.refused"));
    const issue = page.locator(sel("agents-import-issue"));
    expect(await issue.getAttribute("data-row")).toBe("2");
    expect(await issue.getAttribute("data-code")).toBe("range");
    const untouched = await demoAdmin.GET("/api/agents", { params: { query: { team_id: team.data!.id } } });
    expect(untouched.data?.total).toBe(0);

    await page.fill(sel("agents-import-csv"), `${header}\n${person.email};Ana Import;${teamName};${skillName}:9;es\n`);
    await page.click(sel("agents-import-check"));
    await expect.poll(() => report.getAttribute("data-outcome")).toBe("checked");
    expect(await report.getAttribute("data-created")).toBe("1");
    await page.click(sel("agents-import-run"));
    await expect.poll(() => report.getAttribute("data-outcome")).toBe("applied");
    await page.locator(sel("agent-row", `[data-email="${person.email}"]`)).waitFor({ state: "visible" });
    const imported = await demoAdmin.GET("/api/agents", { params: { query: { team_id: team.data!.id } } });
    expect(imported.data?.items.map((a) => [a.display_name, a.skills[0]?.level, a.languages])).toEqual([["Ana Import", 9, ["es"]]]);
  });
});
