import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["src/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    reporters: ["verbose"],
    pool: "forks",
    // One file at a time: the machine has two cores shared with cargo builds, and the
    // login latency measured by the browser suite needs a quiet browser.
    fileParallelism: false,
    // Fail, never silently pass, when a filter matches nothing.
    passWithNoTests: false,
  },
});
