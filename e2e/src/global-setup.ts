// One cc-api for the whole run, shared by the API journeys and the browser tests; each
// test makes its own users and keys, so tests do not depend on each other's data.

import type { TestProject } from "vitest/node";
import { startServer, type ServerInfo } from "./harness";

declare module "vitest" {
  export interface ProvidedContext {
    server: ServerInfo;
  }
}

export default async function setup(project: TestProject) {
  const started = Date.now();
  const server = await startServer();
  console.log(`cc-api ready at ${server.baseUrl} in ${Date.now() - started} ms (log: ${server.logFile})`);
  const { stop, ...info } = server;
  project.provide("server", info);
  return async () => {
    await stop();
  };
}
