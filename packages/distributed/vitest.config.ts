import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "distributed", include: ["test/**/*.test.ts"] },
});
