// Shifts in the browser, in Spanish: a supervisor keeps a template, schedules a week for
// their team, edits and removes a shift from the grid, is refused an overlap, and sees
// who is scheduled now change from missing to logged in without a reload.

import { describe, expect } from "vitest";
import { loginToShell, sel, translate, useBrowser } from "../../src/browser";
import type { Api } from "../../src/api/client";
import { api, createUser, loginDemo, unique } from "../../src/world";

const { browserTest } = useBrowser();

describe("shifts", () => {
  browserTest("a Spanish supervisor schedules a week from a template, edits the grid, is refused an overlap, and watches attendance live", async ({ page }) => {
    const { api: demoAdmin } = await loginDemo("admin");
    const supervisor = await createUser(demoAdmin, "supervisor");
    const spanish = await demoAdmin.PATCH("/api/users/{id}", { params: { path: { id: supervisor.user.id } }, body: { language: "es" } });
    expect(spanish.response.status).toBe(200);
    const team = await demoAdmin.POST("/api/teams", { body: { name: unique("Turnos"), manager_id: supervisor.user.id } });
    expect(team.response.status).toBe(201);
    const prague = await teamAgent(demoAdmin, team.data!.id, { time_zone: "Europe/Prague" });

    await loginToShell(page, supervisor.email, supervisor.password);
    await page.click(sel("nav-shifts"));
    await expect.poll(() => page.locator(sel("page-title")).textContent()).toBe(translate("es", "shifts.title"));
    await page.locator(sel("shifts-team")).selectOption(team.data!.id);
    const row = page.locator(sel("shifts-row", `[data-name="${prague.name}"]`));
    await row.waitFor({ state: "visible" });

    // A template with a lunch break, then the week from it (Monday to Friday).
    const name = unique("Mañana");
    await page.fill(sel("template-name"), name);
    await page.fill(sel("template-start"), "08:00");
    await page.fill(sel("template-end"), "16:30");
    await page.fill(sel("template-break-after"), "240");
    await page.fill(sel("template-break-minutes"), "30");
    await page.click(sel("template-submit"));
    await page.locator(sel("template-row", `[data-name="${name}"]`)).waitFor({ state: "visible" });
    const templates = await demoAdmin.GET("/api/shift-templates", {});
    const template = templates.data!.items.find((t) => t.name === name)!;
    await page.locator(sel("schedule-template")).selectOption(template.id);
    await page.click(sel("schedule-submit"));
    await expect.poll(() => page.locator(sel("schedule-done")).getAttribute("data-count")).toBe("5");
    const chips = row.locator(sel("shift-chip"));
    await expect.poll(() => chips.count()).toBe(5);
    expect(await chips.first().getAttribute("data-span")).toBe("08:00–16:30");
    expect(await chips.first().locator(sel("shift-breaks")).textContent()).toBe("12:00–12:30");

    // Edit Monday's end from the grid.
    await chips.first().locator(sel("shift-edit")).click();
    await page.fill(sel("shift-end"), "15:00");
    await page.click(sel("shift-save"));
    await expect.poll(() => chips.first().getAttribute("data-span")).toBe("08:00–15:00");

    // An overlapping custom shift on Tuesday is refused with the server's Spanish sentence.
    await row.locator(sel("shift-cell")).nth(1).locator(sel("shift-add")).click();
    await page.fill(sel("shift-start"), "12:00");
    await page.fill(sel("shift-end"), "20:00");
    await page.click(sel("shift-save"));
    await expect.poll(() => page.locator(`${sel("shift-form")} [role="alert"]`).textContent()).toContain("El agente ya tiene un turno a esa hora.");
    await page.click(sel("shift-cancel"));

    // Remove Friday's shift.
    await chips.nth(4).locator(sel("shift-edit")).click();
    await page.click(sel("shift-delete"));
    await expect.poll(() => chips.count()).toBe(4);
    const stored = await demoAdmin.GET("/api/shifts", { params: { query: { agent_id: prague.id } } });
    expect(stored.data?.total).toBe(4);

    // Someone scheduled right now shows as missing until they log in, live.
    const now = await teamAgent(demoAdmin, team.data!.id);
    const start = new Date(Date.now() - 30 * 60_000).toISOString();
    const end = new Date(Date.now() + 60 * 60_000).toISOString();
    const current = await demoAdmin.POST("/api/shifts", { body: { agent_id: now.id, start, end } });
    expect(current.response.status).toBe(201);
    await page.click(sel("shifts-next"));
    await page.click(sel("shifts-this-week"));
    const present = page.locator(sel("shifts-now-agent", `[data-name="${now.name}"]`));
    await expect.poll(() => present.getAttribute("data-attendance")).toBe("missing");
    const { api: agentApi } = await api().loginAs(now.email, now.password);
    const loggedIn = await agentApi.POST("/api/agents/me/state", { body: { event: "log_in" } });
    expect(loggedIn.response.status).toBe(200);
    await expect.poll(() => present.getAttribute("data-attendance")).toBe("logged_in");

    // The Prague agent asks for days off around today; the request shows up pending without
    // a reload, the supervisor approves it, and the grid marks the days.
    const { api: pragueApi } = await api().loginAs(prague.email, prague.password);
    const away = await pragueApi.POST("/api/time-off", {
      body: { start: new Date(Date.now() - 2 * 86_400_000).toISOString(), end: new Date(Date.now() + 2 * 86_400_000).toISOString(), reason: "Vacaciones" },
    });
    expect(away.response.status).toBe(201);
    const request = page.locator(sel("time-off-row", `[data-name="${prague.name}"]`));
    await expect.poll(() => request.getAttribute("data-status")).toBe("pending");
    await request.locator(sel("time-off-approve")).click();
    await expect.poll(() => request.getAttribute("data-status")).toBe("approved");
    await expect.poll(() => row.locator(sel("time-off-chip", '[data-status="approved"]')).count()).toBeGreaterThan(0);
    // The agent scheduled now has an adherence for today, with a bar per half hour.
    await page.locator(sel("adherence-agent")).selectOption(now.id);
    await page.locator(sel("adherence-chart")).waitFor({ state: "visible" });
    expect(await page.locator(sel("adherence-bar")).count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator(sel("adherence-value")).textContent()).toMatch(/%$/);
    const decided = await pragueApi.GET("/api/time-off", { params: { query: { status: "approved" } } });
    expect(decided.data?.items.map((t) => t.decided_by)).toEqual([supervisor.user.id]);
    // Performance of the team today: a bar per hour and a line per member; one agent's own.
    await page.locator(sel("performance-line", `[data-name="${now.name}"]`)).waitFor({ state: "visible" });
    await expect.poll(() => page.locator(sel("performance-bar")).count()).toBe(24);
    await page.locator(sel("performance-agent")).selectOption(now.id);
    await expect.poll(() => page.locator(sel("performance-line")).count()).toBe(0);
    await expect.poll(() => page.locator(sel("performance-logged-in")).textContent()).toMatch(/ h$/);
  });

  browserTest("a Czech supervisor forecasts a day and sees per interval what Erlang C and Erlang A require against the schedule", async ({ page }) => {
    const { api: demoAdmin } = await loginDemo("admin");
    const supervisor = await createUser(demoAdmin, "supervisor");
    const czech = await demoAdmin.PATCH("/api/users/{id}", { params: { path: { id: supervisor.user.id } }, body: { language: "cs" } });
    expect(czech.response.status).toBe(200);
    const team = await demoAdmin.POST("/api/teams", { body: { name: unique("Plán"), manager_id: supervisor.user.id } });
    expect(team.response.status).toBe(201);

    await loginToShell(page, supervisor.email, supervisor.password);
    await page.click(sel("nav-shifts"));
    await expect.poll(() => page.locator(sel("staffing-choose")).textContent()).toBe(translate("cs", "shifts.staffing.choose_team"));
    await page.locator(sel("shifts-team")).selectOption(team.data!.id);
    await page.locator(sel("forecast-form")).waitFor({ state: "visible" });
    // The defaults of a day nobody has forecast: 180 s, 80 % within 20 s, 60 s of patience.
    await expect.poll(() => page.locator(sel("forecast-aht")).inputValue()).toBe("180");

    // Hourly: nothing until 08:00, then 20 and 40 calls.
    await page.locator(sel("forecast-interval")).selectOption("hour");
    await page.fill(sel("forecast-calls"), "0 0 0 0 0 0 0 0 20 40");
    await page.click(sel("forecast-save"));
    const rows = page.locator(sel("staffing-row"));
    await expect.poll(() => rows.count()).toBe(2);
    // Nobody is scheduled: both hours are short of what Erlang A requires.
    await expect.poll(() => page.locator(sel("staffing-understaffed")).getAttribute("data-count")).toBe("2");
    expect(await page.locator(sel("staffing-understaffed")).textContent()).toContain(translate("cs", "shifts.staffing.understaffed"));
    expect(await page.locator(sel("staffing-bar", '[data-status="understaffed"]')).count()).toBe(2);

    // The numbers on the screen are the server's (which equal cc-core's: see the API tests).
    const date = await page.locator(sel("staffing-date")).inputValue();
    const saved = await demoAdmin.GET("/api/teams/{id}/forecast", { params: { path: { id: team.data!.id }, query: { date } } });
    expect(saved.data?.calls).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 20, 40]);
    expect(saved.data?.interval).toBe("hour");
    const report = await demoAdmin.GET("/api/teams/{id}/staffing", {
      params: { path: { id: team.data!.id }, query: { from: saved.data!.start, to: saved.data!.end, interval: "hour" } },
    });
    const busy = report.data!.intervals.filter((i) => i.calls > 0);
    expect(await rows.locator(sel("staffing-erlang-c")).allTextContents()).toEqual(busy.map((i) => String(i.required_erlang_c)));
    expect(await rows.locator(sel("staffing-erlang-a")).allTextContents()).toEqual(busy.map((i) => String(i.required_erlang_a)));
    expect(busy[1]!.required_erlang_a!).toBeGreaterThan(busy[0]!.required_erlang_a!);

    // A forecast that is not numbers is refused on the form, in Czech.
    await page.fill(sel("forecast-calls"), "20 hodně");
    await page.click(sel("forecast-save"));
    await expect.poll(() => page.locator(sel("field-error-calls")).textContent()).toBe(translate("cs", "shifts.staffing.numbers"));
  });
});

/** An agent (of a unique name) in the team. */
async function teamAgent(admin: Api, team: string, extra: Record<string, string> = {}) {
  const person = await createUser(admin, "agent");
  const name = unique("Agente");
  const renamed = await admin.PATCH("/api/users/{id}", { params: { path: { id: person.user.id } }, body: { display_name: name } });
  expect(renamed.response.status).toBe(200);
  const profile = await admin.POST("/api/agents", { body: { user_id: person.user.id, team_id: team, ...extra } });
  expect(profile.response.status).toBe(201);
  return { ...person, name, id: profile.data!.id };
}
