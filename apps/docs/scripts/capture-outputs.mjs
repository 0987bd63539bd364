#!/usr/bin/env node
// Runs every compiled chapter recipe and writes what it printed to src/generated/outputs.json, which the
// recipe pages show. Fails (exit 1) if a recipe is not built or does not exit 0: the docs never show code
// that does not run.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { generatedDir, repoRoot } from "./lib/paths.mjs";
import { isBuilt, listRecipes } from "./lib/recipes.mjs";
import { mapLimit, runRecipe } from "./lib/run-recipe.mjs";
import { sourceHash } from "./lib/source-hash.mjs";

export async function captureOutputs({ log = console.log } = {}) {
  const recipes = listRecipes();
  const missing = recipes.filter((r) => !isBuilt(r));
  if (missing.length > 0) {
    throw new Error(
      `not built: ${missing.map((r) => relative(repoRoot, r.compiled)).join(", ")}. ` +
        "Run `pnpm docs:build` (turbo builds @weft/examples before the docs) or `pnpm build` first.",
    );
  }
  const runs = await mapLimit(recipes, 2, async (r) => {
    const run = await runRecipe(r.compiled);
    log(`  ${r.id}: exit ${run.exitCode ?? run.signal} in ${run.ms} ms`);
    return { r, run };
  });
  const failed = runs.filter(({ run }) => run.exitCode !== 0);
  if (failed.length > 0) {
    const details = failed
      .map(({ r, run }) => {
        const why = run.timedOut ? "timed out" : `exit ${run.exitCode ?? run.signal}`;
        return `--- ${r.file} (${why}):\n${run.output}`;
      })
      .join("\n");
    throw new Error(`recipe(s) failed, the docs will not show them:\n${details}`);
  }
  const data = {
    node: process.version,
    recipes: runs.map(({ r, run }) => ({
      id: r.id,
      recipe: r.recipe,
      file: r.file,
      title: r.title,
      sourceHash: sourceHash(readFileSync(r.source, "utf8")),
      output: run.output,
      ms: run.ms,
    })),
  };
  mkdirSync(generatedDir, { recursive: true });
  writeFileSync(join(generatedDir, "outputs.json"), `${JSON.stringify(data, null, 2)}\n`);
  return data;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log("Capturing recipe outputs");
  captureOutputs().then(
    (d) => console.log(`  ${d.recipes.length} recipe(s) captured`),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
