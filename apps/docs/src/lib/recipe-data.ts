// Everything a recipe page shows, for the current docs or for an archived version:
// - current: the very files docs/examples/src/12.<n>-*.ts (as raw text) and src/generated/outputs.json,
//   which scripts/capture-outputs.mjs writes by running their compiled form during the docs build;
// - archived: the frozen copies in src/archive/<version>/ made by scripts/archive-version.mjs.
import { sourceHash } from "../../scripts/lib/source-hash.mjs";

export interface CapturedRecipe {
  id: string;
  recipe: string;
  file: string;
  title: string;
  sourceHash: string;
  output: string;
  ms: number;
}
interface OutputsFile {
  node: string;
  recipes: CapturedRecipe[];
}

export interface RecipeExample {
  file: string;
  title: string;
  source: string;
  output: string;
  node: string;
}

export interface Original {
  file: string;
  lang: string;
  code: string;
}

const currentSources = import.meta.glob<string>("../../../../docs/examples/src/12.*.ts", {
  query: "?raw",
  import: "default",
  eager: true,
});
const archivedSources = import.meta.glob<string>("../archive/*/examples/12.*.ts", {
  query: "?raw",
  import: "default",
  eager: true,
});
const currentTasks = import.meta.glob<string>("../../../../docs/examples/src/tasks/12.*.ts", {
  query: "?raw",
  import: "default",
  eager: true,
});
const archivedTasks = import.meta.glob<string>("../archive/*/examples/tasks/12.*.ts", {
  query: "?raw",
  import: "default",
  eager: true,
});
const currentOutputs = import.meta.glob<OutputsFile>("../generated/outputs.json", {
  import: "default",
  eager: true,
});
const archivedOutputs = import.meta.glob<OutputsFile>("../archive/*/outputs.json", {
  import: "default",
  eager: true,
});
const originals = import.meta.glob<string>(["../originals/12.*.py", "../originals/12.*.c"], {
  query: "?raw",
  import: "default",
  eager: true,
});

const baseName = (path: string) => path.slice(path.lastIndexOf("/") + 1);
const belongsTo = (file: string, recipe: string) => file.startsWith(`${recipe}-`);

function outputsFor(version: string | undefined): OutputsFile | undefined {
  if (version === undefined) return Object.values(currentOutputs)[0];
  return archivedOutputs[`../archive/${version}/outputs.json`];
}

/** The weft example(s) of a recipe ("12.4") with their captured output; [] when none has landed yet. */
export function recipeExamples(recipe: string, version: string | undefined): RecipeExample[] {
  const sources = version === undefined ? currentSources : archivedSources;
  const prefix = version === undefined ? "" : `../archive/${version}/examples/`;
  const files = Object.keys(sources)
    .filter((p) => p.startsWith(prefix) && belongsTo(baseName(p), recipe))
    .sort();
  if (files.length === 0) return [];
  const outputs = outputsFor(version);
  if (!outputs) {
    throw new Error(
      `recipe ${recipe}: no captured output for ${version ?? "the current docs"}; ` +
        "run `node scripts/prepare.mjs` in apps/docs (the build script does this before astro build)",
    );
  }
  return files.map((path) => {
    const file = baseName(path);
    const source = sources[path]!;
    const captured = outputs.recipes.find((r) => r.file === file);
    if (!captured) {
      throw new Error(`${file}: no captured output; rerun \`node scripts/prepare.mjs\` in apps/docs`);
    }
    if (captured.sourceHash !== sourceHash(source)) {
      throw new Error(
        `${file} changed after its output was captured; rerun \`node scripts/prepare.mjs\` in apps/docs ` +
          "so the page shows the output of the code it shows",
      );
    }
    return { file, title: captured.title, source, output: captured.output, node: outputs.node };
  });
}

/** The Python (or C) original(s) of a recipe, extracted from the chapter into src/originals/. */
export function recipeOriginals(recipe: string): Original[] {
  return Object.keys(originals)
    .filter((p) => belongsTo(baseName(p), recipe))
    .sort()
    .map((p) => ({ file: baseName(p), lang: p.endsWith(".c") ? "c" : "python", code: originals[p]! }));
}

/** The task modules of a recipe (docs/examples/src/tasks/12.<n>-*.ts): what its threads and processes load. */
export function recipeTasks(recipe: string, version: string | undefined): { file: string; source: string }[] {
  const tasks = version === undefined ? currentTasks : archivedTasks;
  const prefix = version === undefined ? "" : `../archive/${version}/examples/tasks/`;
  return Object.keys(tasks)
    .filter((p) => p.startsWith(prefix) && belongsTo(baseName(p), recipe))
    .sort()
    .map((p) => ({ file: baseName(p), source: tasks[p]! }));
}
