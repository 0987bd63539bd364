import { defineProject } from "vitest/config";

// Builds the app in src/ with each bundler into a temporary folder without node_modules and runs the bundle there.
export default defineProject({
  test: {
    name: "bundle-check",
    include: ["test/**/*.test.ts"],
    testTimeout: 90_000,
  },
});
