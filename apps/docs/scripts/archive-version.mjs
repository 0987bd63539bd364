#!/usr/bin/env node
// Release step: archives the current docs as version <slug> (see README.md, "Adding a version").
//   node scripts/archive-version.mjs 0.2 [--label "0.2"]
// 1. freezes what the pages show that does not live in src/content/docs: the recipe sources and their task
//    modules, their captured output and the benchmark charts, into src/archive/<slug>/;
// 2. adds the version to versions.json (newest first).
// The next `astro build` (or `astro dev`) then lets starlight-versions copy src/content/docs into
// src/content/docs/<slug>/ and write src/content/versions/<slug>.json. Commit all of it.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { benchCharts } from "./bench-charts.mjs";
import { captureOutputs } from "./capture-outputs.mjs";
import { appRoot, archiveDir, examplesSrc, generatedDir } from "./lib/paths.mjs";
import { listRecipes } from "./lib/recipes.mjs";

function fail(message) {
  console.error(message);
  process.exit(1);
}

const args = process.argv.slice(2).filter((a) => a !== "--");
const slug = args[0];
const labelAt = args.indexOf("--label");
const label = labelAt >= 0 ? args[labelAt + 1] : slug;
if (!slug || !/^[0-9A-Za-z][0-9A-Za-z.-]*$/.test(slug)) {
  fail(
    'usage: node scripts/archive-version.mjs <slug> [--label "<label>"], e.g. 0.2 (letters, digits, "." and "-")',
  );
}
if (!label) fail("--label needs a value");

const versionsFile = join(appRoot, "versions.json");
const versions = JSON.parse(readFileSync(versionsFile, "utf8"));
if (versions.archived.some((v) => v.slug === slug)) fail(`version ${slug} is already in versions.json`);
for (const taken of [join(archiveDir, slug), join(appRoot, "src", "content", "docs", slug)]) {
  if (existsSync(taken)) fail(`${taken} already exists: remove it or pick another version slug`);
}

console.log("Running the recipes and drawing the benchmark charts for the snapshot");
await captureOutputs();
benchCharts();

const dest = join(archiveDir, slug);
mkdirSync(join(dest, "examples"), { recursive: true });
for (const r of listRecipes()) cpSync(r.source, join(dest, "examples", r.file));
const tasksDir = join(examplesSrc, "tasks");
if (existsSync(tasksDir)) {
  mkdirSync(join(dest, "examples", "tasks"), { recursive: true });
  for (const f of readdirSync(tasksDir).filter((f) => /^12\.\d+-.+\.ts$/.test(f))) {
    cpSync(join(tasksDir, f), join(dest, "examples", "tasks", f));
  }
}
cpSync(join(generatedDir, "outputs.json"), join(dest, "outputs.json"));
cpSync(join(generatedDir, "bench"), join(dest, "bench"), { recursive: true });

versions.archived.unshift({ slug, label });
writeFileSync(versionsFile, `${JSON.stringify(versions, null, 2)}\n`);

console.log(`Froze examples, outputs and charts in src/archive/${slug}/ and added ${slug} to versions.json.`);
console.log(
  `Now build the docs (pnpm docs:build): starlight-versions copies src/content/docs into src/content/docs/${slug}/ ` +
    `and writes src/content/versions/${slug}.json. Commit versions.json, src/archive/${slug}/, ` +
    `src/content/docs/${slug}/ and src/content/versions/${slug}.json.`,
);
