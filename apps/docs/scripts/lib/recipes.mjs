// The chapter recipes present in docs/examples: the same selection and order as scripts/demo.mjs.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { examplesDist, examplesSrc } from "./paths.mjs";

const recipeFile = /^(12\.(\d+))-.+\.ts$/;

/**
 * @typedef {object} RecipeFile
 * @property {string} id        file name without extension, e.g. "12.4-locks"
 * @property {string} recipe    the chapter number, e.g. "12.4"
 * @property {string} file      file name in docs/examples/src
 * @property {string} title     the first-line comment without "//", e.g. "12.4 Locking critical sections"
 * @property {string} source    absolute path of the .ts file
 * @property {string} compiled  absolute path of the compiled .js file (may not exist yet)
 */

/** Recipes found in docs/examples/src, in recipe order. @returns {RecipeFile[]} */
export function listRecipes(srcDir = examplesSrc, distDir = examplesDist) {
  if (!existsSync(srcDir)) return [];
  return readdirSync(srcDir)
    .map((file) => ({ file, match: recipeFile.exec(file) }))
    .filter((r) => r.match !== null)
    .sort((a, b) => Number(a.match[2]) - Number(b.match[2]) || a.file.localeCompare(b.file))
    .map(({ file, match }) => {
      const source = join(srcDir, file);
      const firstLine = readFileSync(source, "utf8").split("\n", 1)[0] ?? "";
      return {
        id: file.replace(/\.ts$/, ""),
        recipe: match[1],
        file,
        title: firstLine.startsWith("//") ? firstLine.replace(/^\/\/\s*/, "").trim() : file,
        source,
        compiled: join(distDir, file.replace(/\.ts$/, ".js")),
      };
    });
}

/** Whether a compiled recipe exists. */
export function isBuilt(recipe) {
  return existsSync(recipe.compiled);
}
