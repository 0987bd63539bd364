import { defineConfig } from "tsup";

// Every file in src/ is an entry: recipes (12.x-*.ts) and the task modules they run in threads or processes.
// target node20 lowers `using` / `await using`, which Node 20 cannot parse.
export default defineConfig({
  entry: ["src/**/*.ts"],
  format: ["esm"],
  target: "node20",
  bundle: false,
  sourcemap: true,
  clean: true,
});
