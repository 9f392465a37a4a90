// A typed client for cc-api, generated from openapi/openapi.json: every path, body and
// answer below is checked by `tsc` against the committed spec, so a spec change that
// breaks a journey fails `npm run check`.

import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./schema";

export type Api = Client<paths>;
export type Schemas = components["schemas"];
export type Problem = Schemas["Problem"];
export type ErrorCode = Schemas["ErrorCode"];
export type TokenResponse = Schemas["TokenResponse"];
export type Role = Schemas["Role"];
export type Language = Schemas["Language"];

/** Extra headers every request of a client carries (e.g. `Accept-Language`). */
export type Headers = Record<string, string>;

/** Entry point: one server, clients for each kind of caller. */
export class CcApi {
  constructor(readonly baseUrl: string) {}

  /** A client that sends no credentials. */
  anon(headers: Headers = {}): Api {
    return createClient<paths>({ baseUrl: this.baseUrl, headers });
  }

  /** Signs in; throws with the problem body when the server refuses. */
  async login(email: string, password: string): Promise<TokenResponse> {
    const { data, error, response } = await this.anon().POST("/api/auth/login", {
      body: { email, password },
    });
    if (!data) {
      throw new Error(`login ${email} answered ${response.status}: ${JSON.stringify(error)}`);
    }
    return data;
  }

  /** A client that acts as the holder of this access token. */
  authed(token: string, headers: Headers = {}): Api {
    return this.anon({ ...headers, Authorization: `Bearer ${token}` });
  }

  /** A client that acts as an integrator with this API key (`X-API-Key`). */
  apiKeyClient(key: string, headers: Headers = {}): Api {
    return this.anon({ ...headers, "X-API-Key": key });
  }

  /** Signs in and answers a client for the signed-in user with its tokens. */
  async loginAs(email: string, password: string, headers: Headers = {}) {
    const tokens = await this.login(email, password);
    return { tokens, api: this.authed(tokens.access_token, headers) };
  }
}

/** Whether a response is an RFC 7807 problem (by content type). */
export function isProblemJson(response: Response): boolean {
  return (response.headers.get("content-type") ?? "").startsWith("application/problem+json");
}
