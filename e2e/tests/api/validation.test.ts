import { describe, expect, test } from "vitest";
import type { Api, Problem } from "../../src/api/client";
import { api, expectProblem, loginDemo, PASSWORD } from "../../src/world";

async function createWithBadEmail(client: Api): Promise<Problem> {
  const { response, error } = await client.POST("/api/users", {
    body: { email: "not-an-email", display_name: "Nobody", role: "agent", password: PASSWORD },
  });
  const problem = expectProblem(response, error, 422, "validation_failed");
  expect(problem.errors?.map((e) => e.field)).toContain("email");
  return problem;
}

describe("validation errors", () => {
  test("an invalid email is a 422 with a field error, its detail localized by Accept-Language", async () => {
    const { tokens } = await loginDemo("admin");
    const en = await createWithBadEmail(api().authed(tokens.access_token, { "Accept-Language": "en" }));
    const cs = await createWithBadEmail(api().authed(tokens.access_token, { "Accept-Language": "cs" }));
    const es = await createWithBadEmail(api().authed(tokens.access_token, { "Accept-Language": "es-ES,es;q=0.9" }));

    expect(cs.detail).not.toBe(en.detail);
    expect(es.detail).not.toBe(en.detail);
    expect(cs.detail).not.toBe(es.detail);
    const message = (p: Problem) => p.errors?.find((e) => e.field === "email")?.message;
    expect(message(en)).toBeTruthy();
    expect(message(cs)).not.toBe(message(en));
  });

  test("every failing field is reported at once", async () => {
    const { api: admin } = await loginDemo("admin");
    const { response, error } = await admin.POST("/api/users", {
      body: { email: "still-not-an-email", display_name: "Short", role: "agent", password: "short" },
    });
    const problem = expectProblem(response, error, 422, "validation_failed");
    expect(problem.errors?.map((e) => e.field).sort()).toEqual(expect.arrayContaining(["email", "password"]));
  });

  test("an unknown role is a 422 naming the field, not a 400", async () => {
    const { api: admin } = await loginDemo("admin");
    const { response, error } = await admin.POST("/api/users", {
      // Deliberately outside the schema: what an untyped client might send.
      body: { email: "someone@example.test", display_name: "X", role: "overlord" as "agent", password: PASSWORD },
    });
    const problem = expectProblem(response, error, 422, "validation_failed");
    expect(problem.errors?.map((e) => e.field)).toContain("role");
  });
});
