import { describe, expect, test } from "vitest";
import { api, expectProblem, loginDemo, server, unique } from "../../src/world";

describe("API keys", () => {
  test("a key works as X-API-Key and as a bearer token until it is revoked", async () => {
    const admin = await loginDemo("admin");
    const name = unique("integration");
    const created = await admin.api.POST("/api/api-keys", {
      body: { name, role: "admin", scopes: ["read", "write"] },
    });
    expect(created.response.status, JSON.stringify(created.error)).toBe(201);
    const { key, api_key: record } = created.data!;
    expect(key.length).toBeGreaterThan(20);
    expect(key.startsWith(record.prefix)).toBe(true);
    expect(record.name).toBe(name);
    expect(record.revoked_at ?? null).toBeNull();

    // The secret is shown once: listing the keys never returns it.
    const listed = await admin.api.GET("/api/api-keys");
    expect(listed.response.status).toBe(200);
    expect(listed.data?.items.some((k) => k.id === record.id)).toBe(true);
    expect(JSON.stringify(listed.data)).not.toContain(key);

    const adminEmail = server().demo.emails.admin;
    for (const client of [api().apiKeyClient(key), api().authed(key)]) {
      const users = await client.GET("/api/users", { params: { query: { limit: 500 } } });
      expect(users.response.status, JSON.stringify(users.error)).toBe(200);
      expect(users.data?.items.map((u) => u.email)).toContain(adminEmail);
    }

    const revoked = await admin.api.DELETE("/api/api-keys/{id}", {
      params: { path: { id: record.id } },
    });
    expect(revoked.response.status, JSON.stringify(revoked.error)).toBe(200);
    expect(revoked.data?.revoked_at).toBeTruthy();

    for (const client of [api().apiKeyClient(key), api().authed(key)]) {
      const users = await client.GET("/api/users");
      expectProblem(users.response, users.error, 401, "token_revoked");
    }
  });

  test("a made-up key is refused", async () => {
    const users = await api().apiKeyClient("not-a-real-key").GET("/api/users");
    expect(users.response.status).toBe(401);
    expect((users.error as { code?: string }).code).toMatch(/^(invalid_token|unauthenticated)$/);
  });
});
