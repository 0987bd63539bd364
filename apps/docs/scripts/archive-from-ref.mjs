#!/usr/bin/env node
// Release step: generates the archived docs of version <slug> from the release's git tag (or any ref), not
// from the working tree, and adds them to this tree. See README.md, "Adding a version".
//
//   node scripts/archive-from-ref.mjs <slug> --ref <tag> [--label "<label>"]
//
// 1. exports the tagged tree (`git archive`) into a temporary folder: what was released, with none of this
//    tree's later edits or uncommitted files;
// 2. there, installs it (its own lockfile), builds the docs once and runs that tree's own
//    `scripts/archive-version.mjs <slug>`, which freezes the recipe sources, their output and the benchmark
//    charts, then builds again so starlight-versions snapshots the pages (API pages included) as <slug>;
// 3. copies the four results into this tree: src/content/docs/<slug>/, src/content/versions/<slug>.json,
//    src/archive/<slug>/, and the version's entry (with the tag and its commit) at the top of versions.json.
// Commit them with the release. Nothing is taken from the working tree, so the archive is what the tag holds.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appRoot, repoRoot } from "./lib/paths.mjs";

function fail(message) {
  console.error(`archive-from-ref: ${message}`);
  process.exit(1);
}

const args = process.argv.slice(2).filter((a) => a !== "--");
const option = (name) => {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith("--")) fail(`${name} needs a value`);
  return value;
};
const known = new Set(["--ref", "--label"]);
for (const a of args)
  if (a.startsWith("--") && !known.has(a)) fail(`unknown option ${a} (use --ref and --label)`);
const slug = args[0];
const ref = option("--ref");
const label = option("--label") ?? slug;
if (!slug || slug.startsWith("--") || !/^[0-9A-Za-z][0-9A-Za-z.-]*$/.test(slug)) {
  fail('usage: archive-from-ref.mjs <slug> --ref <tag> [--label "<label>"], e.g. 0.2 --ref v0.2.0');
}
if (!ref) fail("--ref is required: tag the release first (git tag v<x.y.z> <commit>) and pass the tag");

const git = (...a) => execFileSync("git", ["-C", repoRoot, ...a], { encoding: "utf8" }).trim();
let commit;
try {
  commit = git("rev-parse", "--verify", "--quiet", `${ref}^{commit}`);
} catch {
  fail(`${ref} is not a tag, branch or commit of this repository (git tag lists the tags)`);
}

const versionsFile = join(appRoot, "versions.json");
const versions = JSON.parse(readFileSync(versionsFile, "utf8"));
if (versions.archived.some((v) => v.slug === slug)) fail(`version ${slug} is already in versions.json`);
const results = {
  pages: join("src", "content", "docs", slug),
  sidebar: join("src", "content", "versions", `${slug}.json`),
  frozen: join("src", "archive", slug),
};
for (const rel of Object.values(results)) {
  if (existsSync(join(appRoot, rel)))
    fail(`${join(appRoot, rel)} already exists: remove it or pick another slug`);
}

const work = mkdtempSync(join(tmpdir(), `weft-docs-${slug}-`));
const sh = (cmd, cwd) =>
  execFileSync("sh", ["-c", cmd], { cwd, stdio: "inherit", env: { ...process.env, CI: "" } });
try {
  console.log(`Exporting ${ref} (${commit.slice(0, 12)}) into ${work}`);
  execFileSync("sh", ["-c", `git -C "${repoRoot}" archive --format=tar ${commit} | tar -x -C "${work}"`]);
  const docs = join(work, "apps", "docs");
  if (!existsSync(join(docs, "scripts", "archive-version.mjs"))) {
    fail(`${ref} has no apps/docs/scripts/archive-version.mjs: its docs cannot be archived by its own tools`);
  }
  // A release commit may already hold its own archive (made from its working tree when it was cut): those
  // are outputs, so drop them there and make them again from the tag's sources.
  const taggedVersions = join(docs, "versions.json");
  if (existsSync(taggedVersions)) {
    const tagged = JSON.parse(readFileSync(taggedVersions, "utf8"));
    if (tagged.archived?.some((v) => v.slug === slug)) {
      tagged.archived = tagged.archived.filter((v) => v.slug !== slug);
      writeFileSync(taggedVersions, `${JSON.stringify(tagged, null, 2)}\n`);
      for (const rel of Object.values(results)) rmSync(join(docs, rel), { recursive: true, force: true });
    }
  }
  sh("pnpm install --frozen-lockfile", work);
  sh("pnpm docs:build", work);
  sh(`node scripts/archive-version.mjs ${JSON.stringify(slug)} --label ${JSON.stringify(label)}`, docs);
  sh("pnpm docs:build", work);
  for (const rel of Object.values(results)) {
    if (!existsSync(join(docs, rel))) fail(`the build of ${ref} did not produce ${rel}`);
    cpSync(join(docs, rel), join(appRoot, rel), { recursive: true });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

versions.archived.unshift({ slug, label, ref, commit });
writeFileSync(versionsFile, `${JSON.stringify(versions, null, 2)}\n`);
console.log(
  `Archived ${ref} as ${slug} in apps/docs: ${results.pages}/, ${results.sidebar}, ${results.frozen}/ and ` +
    "versions.json. Commit them with the release.",
);
