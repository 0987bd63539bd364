// The recipe pages embed docs/examples/src/12.*.ts and the output the docs build captured from running
// them. These tests run every compiled recipe again: it must exit 0 and print output of the same shape as
// the page shows, so a page can never show code that does not run.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { outputShape } from "../scripts/lib/output-shape.mjs";
import { appRoot, generatedDir, repoRoot } from "../scripts/lib/paths.mjs";
import { isBuilt, listRecipes } from "../scripts/lib/recipes.mjs";
import { runRecipe } from "../scripts/lib/run-recipe.mjs";
import { sourceHash } from "../scripts/lib/source-hash.mjs";
import { timingClaims } from "../scripts/lib/timing-claims.mjs";

interface Captured {
  file: string;
  recipe: string;
  sourceHash: string;
  output: string;
}

const outputsFile = join(generatedDir, "outputs.json");
const recipes = listRecipes();

function captured(): Captured[] {
  if (!existsSync(outputsFile)) {
    throw new Error(`${relative(repoRoot, outputsFile)} is missing: build the docs first (pnpm docs:build)`);
  }
  return JSON.parse(readFileSync(outputsFile, "utf8")).recipes;
}

describe("chapter recipes", () => {
  it("the docs build captured every recipe of docs/examples/src, from its current source", () => {
    const byFile = new Map(captured().map((c) => [c.file, c]));
    expect([...byFile.keys()].sort()).toEqual(recipes.map((r) => r.file).sort());
    for (const r of recipes) {
      expect(byFile.get(r.file)?.sourceHash, `${r.file} changed since the docs build`).toBe(
        sourceHash(readFileSync(r.source, "utf8")),
      );
    }
  });

  it("every recipe has a built page that shows it", () => {
    const recipesDir = join(appRoot, "dist", "recipes");
    expect(existsSync(recipesDir), "apps/docs/dist is missing: build the docs first").toBe(true);
    const pages = readdirSync(recipesDir);
    for (const r of recipes) {
      const page = pages.find((p) => p.startsWith(`${r.recipe.replace(".", "-")}-`));
      expect(page, `no page for recipe ${r.recipe} in apps/docs/src/content/docs/recipes`).toBeDefined();
      const html = readFileSync(join(recipesDir, page!, "index.html"), "utf8");
      expect(html.includes(`data-example="${r.file}"`), `${page} does not show ${r.file}`).toBe(true);
    }
  });

  for (const r of recipes) {
    it(`${r.file} runs, exits 0 and prints what its page shows`, async () => {
      expect(isBuilt(r), `${relative(repoRoot, r.compiled)} is not built`).toBe(true);
      const run = await runRecipe(r.compiled);
      expect(run.timedOut).toBe(false);
      expect(run.exitCode, run.output).toBe(0);
      const shown = captured().find((c) => c.file === r.file);
      expect(shown, `${r.file} has no captured output`).toBeDefined();
      expect(outputShape(run.output)).toEqual(outputShape(shown!.output));
      expect(timingClaims(run.output), "a timing claim this run's numbers could contradict").toEqual([]);
    });
  }
});
