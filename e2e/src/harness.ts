// Starts a real `cc-api` on PostgreSQL + Redis for the end-to-end suites: a fresh database
// and Redis key prefix per run, `migrate`, `seed --demo`, `serve`, and a readiness poll
// with a deadline. Teardown stops the server and drops the database. The server's output
// goes to `test-results/cc-api-<run>.log` so a failure can be diagnosed afterwards.
//
// It does not build anything: the binary comes from CC_API_BIN (or the cargo target dir),
// and the SPA is whatever sits in web/dist.

import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The e2e/ folder and the repository root, wherever the suite is started from. */
export const E2E_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_ROOT = resolve(E2E_DIR, "..");
export const RESULTS_DIR = join(E2E_DIR, "test-results");
/** The built SPA: CC_WEB_DIR (the server's own setting, passed through), else web/dist. */
export const WEB_DIST = resolve(process.env.CC_WEB_DIR || join(REPO_ROOT, "web", "dist"));
export const LOCALES_DIR = join(REPO_ROOT, "web", "locales");

/** What the tests learn about the running server (serializable: it crosses workers). */
export interface ServerInfo {
  baseUrl: string;
  logFile: string;
  database: string;
  /** Demo logins printed by `cc-api seed --demo`, by role. */
  demo: { password: string; emails: Record<string, string> };
}

export interface RunningServer extends ServerInfo {
  stop(): Promise<void>;
}

/** The cc-api binary: CC_API_BIN, else `<target>/debug/cc-api`. */
export function apiBinary(): string {
  if (process.env.CC_API_BIN) return resolve(process.env.CC_API_BIN);
  const target = process.env.CARGO_TARGET_DIR ?? join(homedir(), ".cache", "cc-lite", "target");
  return join(resolve(target), "debug", "cc-api");
}

function env(name: string, fallback: string): string {
  const v = process.env[name];
  return v && v.trim() !== "" ? v.trim() : fallback;
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => (port ? ok(port) : fail(new Error("no free port"))));
    });
  });
}

/** Runs SQL against the maintenance database of the PostgreSQL server in `pgUrl`. */
async function psql(pgUrl: string, sql: string): Promise<void> {
  const admin = new URL(pgUrl);
  admin.pathname = "/postgres";
  try {
    await run("psql", [admin.toString(), "-v", "ON_ERROR_STOP=1", "-qAtc", sql]);
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`psql failed (${sql}): ${err.stderr?.trim() || err.message}`);
  }
}

async function dropRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  try {
    const { stdout } = await run("redis-cli", ["-u", redisUrl, "--scan", "--pattern", `${prefix}*`]);
    const keys = stdout.split("\n").filter(Boolean);
    for (let i = 0; i < keys.length; i += 500) {
      await run("redis-cli", ["-u", redisUrl, "DEL", ...keys.slice(i, i + 500)]);
    }
  } catch {
    // Best effort: the keys are namespaced by a random prefix and harmless if left.
  }
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Runs a one-shot subcommand (migrate, seed), its output appended to the log. */
async function subcommand(bin: string, args: string[], childEnv: NodeJS.ProcessEnv, cwd: string, log: string) {
  const fd = openSync(log, "a");
  try {
    const child = spawn(bin, args, { env: childEnv, cwd, stdio: ["ignore", "pipe", fd] });
    let out = "";
    child.stdout?.on("data", (b: Buffer) => (out += b.toString()));
    const code: number | null = await new Promise((ok, fail) => {
      child.once("error", fail);
      child.once("close", ok);
    });
    appendFileSync(log, out);
    if (code !== 0) {
      throw new Error(`cc-api ${args.join(" ")} exited ${code}\n${out}\n--- log tail ---\n${tail(log)}`);
    }
    return out;
  } finally {
    closeSync(fd);
  }
}

/** Parses the demo logins from the output of `cc-api seed --demo`. */
export function parseDemoLogins(out: string): ServerInfo["demo"] {
  const emails: Record<string, string> = {};
  let password = "";
  for (const m of out.matchAll(/^\s+(admin|supervisor|agent|analyst)\s+(\S+@\S+)\s+\/\s+(\S+)\s*$/gm)) {
    emails[m[1]!] = m[2]!;
    password = m[3]!;
  }
  if (!emails.admin || !password) {
    throw new Error(`could not read the demo admin login from \`cc-api seed --demo\`:\n${out}`);
  }
  return { password, emails };
}

async function waitReady(baseUrl: string, child: ChildProcess, log: string, deadlineMs: number) {
  const deadline = Date.now() + deadlineMs;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`cc-api serve exited (${child.exitCode ?? child.signalCode}) before it was ready\n${tail(log)}`);
    }
    try {
      const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
      last = `${res.status} ${await res.text()}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`cc-api was not ready within ${deadlineMs} ms (last /readyz: ${last})\n${tail(log)}`);
}

/** What a test may change about the server it starts for itself. */
export interface ServerOptions {
  /**
   * Server settings (`CC_*`) on top of the suite's, e.g. `{ CC_ACCESS_TOKEN_TTL: "60" }` for a
   * test that must outlive an access token. The shared server never takes any.
   */
  env?: Record<`CC_${string}`, string>;
}

/**
 * Starts cc-api against a fresh database. Settings (all optional):
 * CC_API_BIN, CARGO_TARGET_DIR, CC_E2E_PG_URL, CC_E2E_REDIS_URL, CC_E2E_START_TIMEOUT_MS,
 * CC_WEB_DIR (the built SPA, default web/dist), CC_E2E_LOG,
 * CC_E2E_KEEP=1 (keep the database and data dir after the run).
 * A test that needs other server settings starts its own server with `options.env`.
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const bin = apiBinary();
  if (!existsSync(bin)) {
    throw new Error(`cc-api binary not found at ${bin}: build it (cargo build -p cc-api) or set CC_API_BIN`);
  }
  const pgUrl = env("CC_E2E_PG_URL", "postgres://postgres@127.0.0.1:5432");
  const redisUrl = env("CC_E2E_REDIS_URL", "redis://127.0.0.1:6379");
  const startTimeout = Number(env("CC_E2E_START_TIMEOUT_MS", "60000"));
  const keep = process.env.CC_E2E_KEEP === "1";

  const runId = randomBytes(5).toString("hex");
  const database = `cce2e_${runId}`;
  const redisPrefix = `cce2e:${runId}`;
  mkdirSync(RESULTS_DIR, { recursive: true });
  const logFile = join(RESULTS_DIR, `cc-api-${runId}.log`);
  const dataDir = mkdtempSync(join(tmpdir(), "cce2e-"));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dbUrl = new URL(pgUrl);
  dbUrl.pathname = `/${database}`;

  // Only our CC_* settings reach the server (CC_WEB_DIR as resolved above), so an outer
  // configuration cannot leak in;
  // the cwd is the temp dir, so no stray cc-lite.toml is picked up either.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("CC_")));
  const childEnv: NodeJS.ProcessEnv = {
    ...base,
    CC_DATABASE_URL: dbUrl.toString(),
    CC_REDIS_URL: redisUrl,
    CC_REDIS_PREFIX: redisPrefix,
    CC_DATA_DIR: dataDir,
    CC_BIND: `127.0.0.1:${port}`,
    CC_WEB_DIR: WEB_DIST,
    CC_LOG_FORMAT: "json",
    CC_LOG: env("CC_E2E_LOG", "info"),
    // Fast hashing (8 MiB is the server's minimum) and no throttling of a busy suite:
    // the suite signs in often and tries wrong passwords on purpose.
    CC_ARGON2_MEMORY_KIB: "8192",
    CC_ARGON2_ITERATIONS: "1",
    CC_RATE_LIMIT_PER_MINUTE: "1000000",
    CC_LOGIN_MAX_FAILURES: "1000",
    CC_LOGIN_IP_MAX_FAILURES: "10000",
    CC_DB_MIN_CONNECTIONS: "1",
    CC_DB_MAX_CONNECTIONS: "10",
    ...options.env,
  };

  await psql(pgUrl, `CREATE DATABASE "${database}"`);
  let child: ChildProcess | undefined;
  const cleanup = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((ok) => child!.once("exit", ok));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child!.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (keep) return;
    await psql(pgUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await dropRedisKeys(redisUrl, redisPrefix);
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await subcommand(bin, ["migrate"], childEnv, dataDir, logFile);
    const demo = parseDemoLogins(await subcommand(bin, ["seed", "--demo"], childEnv, dataDir, logFile));
    const fd = openSync(logFile, "a");
    child = spawn(bin, ["serve"], { env: childEnv, cwd: dataDir, stdio: ["ignore", fd, fd] });
    closeSync(fd);
    // A spawn failure shows up as an exit in waitReady; without a listener it would crash the runner.
    child.on("error", () => undefined);
    // If the runner dies without its teardown (Ctrl-C, crash), the server must not outlive it.
    const orphanGuard = () => child?.kill("SIGKILL");
    process.once("exit", orphanGuard);
    child.once("exit", () => process.off("exit", orphanGuard));
    await waitReady(baseUrl, child, logFile, startTimeout);
    return { baseUrl, logFile, database, demo, stop: cleanup };
  } catch (e) {
    await cleanup().catch(() => undefined);
    throw e;
  }
}
