import { defineProject } from "vitest/config";

// test/global-setup.ts starts a private redis-server (installing Debian's package when it is missing) and
// stops it after the run, deleting its directory. Tests that restart Redis start their own.
export default defineProject({
  test: {
    name: "distributed",
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
