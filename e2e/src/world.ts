// What a test needs to act on the shared server: a typed API entry point, the demo
// logins, unique names, and assertions on problem+json answers.

import { randomBytes } from "node:crypto";
import { expect, inject } from "vitest";
import { CcApi, isProblemJson, type Api, type ErrorCode, type Problem, type Role } from "./api/client";

export const server = () => inject("server");
export const api = () => new CcApi(server().baseUrl);

/** A name no other test (or earlier run) uses. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
}

export function uniqueEmail(prefix = "e2e"): string {
  return `${unique(prefix)}@example.test`;
}

export const PASSWORD = "correct-horse-battery";

/** Signs in as the demo user of a role. */
export async function loginDemo(role: Role = "admin") {
  const { demo } = server();
  const email = demo.emails[role];
  if (!email) throw new Error(`seed printed no demo login for ${role}`);
  return api().loginAs(email, demo.password);
}

/** Creates a user as the given admin client; answers the user and their password. */
export async function createUser(admin: Api, role: Role = "agent") {
  const email = uniqueEmail(role);
  const { data, error, response } = await admin.POST("/api/users", {
    body: { email, display_name: `E2E ${role}`, role, password: PASSWORD },
  });
  expect(error, JSON.stringify(error)).toBeUndefined();
  expect(response.status).toBe(201);
  return { user: data!, email, password: PASSWORD };
}

/** Asserts an RFC 7807 answer with this status and code; answers the body. */
export function expectProblem(response: Response, body: unknown, status: number, code: ErrorCode): Problem {
  expect(response.status, JSON.stringify(body)).toBe(status);
  expect(isProblemJson(response), response.headers.get("content-type") ?? "no content type").toBe(true);
  const problem = body as Problem;
  expect(problem.code).toBe(code);
  expect(problem.status).toBe(status);
  expect(problem.detail).toBeTruthy();
  return problem;
}
