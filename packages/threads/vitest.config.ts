import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "threads", include: ["test/**/*.test.ts"] },
});
