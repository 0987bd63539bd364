import { defineProject } from "vitest/config";

// Threads tests start real workers and child processes; on a loaded 2-core machine a single test can take
// several seconds, so the timeout is generous (no test asserts a duration).
export default defineProject({
  test: { name: "threads", include: ["test/**/*.test.ts"], testTimeout: 60_000 },
});
