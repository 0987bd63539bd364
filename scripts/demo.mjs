#!/usr/bin/env node
// The chapter-example tour: runs every recipe of docs/examples (compiled by the build) in recipe order,
// printing each recipe's heading and its output. Exits non-zero if any recipe fails.
// `pnpm demo 12.4` runs only the recipes whose file name contains "12.4".
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const srcDir = join(root, "docs/examples/src");
const distDir = join(root, "docs/examples/dist");
const filters = process.argv.slice(2).filter((a) => a !== "--");

const byRecipe = (a, b) => {
  const na = a.match(/^12\.(\d+)/)[1];
  const nb = b.match(/^12\.(\d+)/)[1];
  return Number(na) - Number(nb) || a.localeCompare(b);
};
const recipes = readdirSync(srcDir)
  .filter((f) => /^12\.\d+-.+\.ts$/.test(f))
  .filter((f) => filters.length === 0 || filters.some((flt) => f.includes(flt)))
  .sort(byRecipe);

if (recipes.length === 0) {
  console.error("No recipe matches; recipes live in docs/examples/src/12.<n>-<topic>.ts");
  process.exit(1);
}

const failed = [];
for (const file of recipes) {
  const firstLine = readFileSync(join(srcDir, file), "utf8").split("\n", 1)[0];
  const title = firstLine.startsWith("//") ? firstLine.replace(/^\/\/\s*/, "") : file;
  const compiled = join(distDir, file.replace(/\.ts$/, ".js"));
  console.log(`\n${"=".repeat(78)}\n${title}\n  (docs/examples/src/${file})\n${"=".repeat(78)}`);
  if (!existsSync(compiled)) {
    console.log(`  not built: ${compiled} is missing; run \`pnpm build\` first`);
    failed.push(file);
    continue;
  }
  const started = Date.now();
  const run = spawnSync(process.execPath, [compiled], { stdio: "inherit", cwd: root, timeout: 120_000 });
  const took = ((Date.now() - started) / 1000).toFixed(1);
  if (run.status !== 0) {
    console.log(`  FAILED (exit ${run.status ?? run.signal}) after ${took}s`);
    failed.push(file);
  } else {
    console.log(`  (${took}s)`);
  }
}
console.log(
  failed.length === 0
    ? `\nAll ${recipes.length} recipes ran.`
    : `\n${failed.length} of ${recipes.length} recipes failed: ${failed.join(", ")}`,
);
process.exit(failed.length === 0 ? 0 : 1);
