import { describe, expect, test } from "vitest";
import { api, createUser, expectProblem, loginDemo } from "../../src/world";

describe("user lifecycle", () => {
  test("a deactivated user's access and refresh tokens are refused at once", async () => {
    const admin = await loginDemo("admin");
    const me = await admin.api.GET("/api/auth/me");
    expect(me.response.status).toBe(200);
    expect(me.data?.user.role).toBe("admin");
    expect(me.data?.principal).toBe("user");

    const { user, email, password } = await createUser(admin.api, "agent");
    expect(user.email).toBe(email);
    expect(user.role).toBe("agent");
    expect(user.active).toBe(true);

    // The new agent signs in and sees themselves; refreshing works while they are active.
    const first = await api().login(email, password);
    const rotated = await api().anon().POST("/api/auth/refresh", {
      body: { refresh_token: first.refresh_token },
    });
    expect(rotated.response.status, JSON.stringify(rotated.error)).toBe(200);
    const tokens = rotated.data!;
    const agent = api().authed(tokens.access_token);
    const agentMe = await agent.GET("/api/auth/me");
    expect(agentMe.response.status).toBe(200);
    expect(agentMe.data?.user.id).toBe(user.id);
    expect(agentMe.data?.user.role).toBe("agent");

    // An agent is not an admin.
    const list = await agent.GET("/api/users");
    expectProblem(list.response, list.error, 403, "forbidden");

    const deactivated = await admin.api.POST("/api/users/{id}/deactivate", {
      params: { path: { id: user.id } },
    });
    expect(deactivated.response.status, JSON.stringify(deactivated.error)).toBe(200);
    expect(deactivated.data?.active).toBe(false);

    const refused = await agent.GET("/api/auth/me");
    expectProblem(refused.response, refused.error, 401, "token_revoked");

    const refresh = await api().anon().POST("/api/auth/refresh", {
      body: { refresh_token: tokens.refresh_token },
    });
    expectProblem(refresh.response, refresh.error, 401, "refresh_token_invalid");

    const again = await api().anon().POST("/api/auth/login", { body: { email, password } });
    expectProblem(again.response, again.error, 403, "account_disabled");
  });
});
