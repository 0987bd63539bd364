import { defineProject } from "vitest/config";

// The docs app's tests run against what `pnpm docs:build` (or `pnpm test`, which builds first) produced:
// the compiled recipes in docs/examples/dist and the static site in apps/docs/dist.
export default defineProject({
  test: {
    name: "docs",
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
