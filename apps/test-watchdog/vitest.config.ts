import { defineProject } from "vitest/config";

// Each test runs the watchdog (scripts/test-watchdog/run.mjs) on a small vitest project of its own in
// test/fixtures (their files are *.fixture.mjs, so this project does not collect them).
export default defineProject({
  test: { name: "test-watchdog", include: ["test/**/*.test.ts"], testTimeout: 120_000 },
});
