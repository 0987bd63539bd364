import { defineConfig } from "vitest/config";

// Each package (and the docs app) is its own vitest project with its own name and include glob.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*"],
  },
});
