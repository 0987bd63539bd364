import { defineProject } from "vitest/config";

// Runs against the built packages (`pnpm test` builds first): packs them once (global setup), then installs
// each alone into fresh npm and pnpm projects. Installs and child processes dominate: a few at once is
// as fast as it gets on two cores.
export default defineProject({
  test: {
    name: "package-checks",
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    maxConcurrency: 4,
  },
});
