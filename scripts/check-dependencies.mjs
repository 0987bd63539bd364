#!/usr/bin/env node
// Fails when a package depends on (or its source imports) a weft package that the architecture does not allow.
// The allowed edges are the graph in ARCHITECTURE.md; keep the two in step.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;

/** Which weft packages each package may import (ARCHITECTURE.md, "Packages and allowed dependencies"). */
const ALLOWED = {
  "@weft/sync": [],
  "@weft/local-storage": [],
  "@weft/threads": ["@weft/sync", "@weft/local-storage"],
  "@weft/pool": ["@weft/threads", "@weft/sync", "@weft/local-storage"],
  "@weft/process-pool": ["@weft/pool", "@weft/sync", "@weft/local-storage", "@weft/native"],
  "@weft/native": ["@weft/sync"],
  "@weft/distributed": ["@weft/pool", "@weft/sync", "@weft/local-storage"],
};

const problems = [];
const IMPORT = /(?:from\s+|import\s+|import\s*\(\s*|require\s*\(\s*)["'](@weft\/[a-z-]+)(?:\/[^"']*)?["']/g;

function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(?:[cm]?[jt]s)$/.test(name)) out.push(path);
  }
  return out;
}

for (const dir of readdirSync(join(root, "packages"))) {
  const pkgDir = join(root, "packages", dir);
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  } catch {
    continue;
  }
  const name = manifest.name;
  const allowed = ALLOWED[name];
  if (allowed === undefined) {
    problems.push(
      `${name}: not in the dependency graph; add it to ARCHITECTURE.md and scripts/check-dependencies.mjs`,
    );
    continue;
  }
  const declared = new Set();
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
    for (const dep of Object.keys(manifest[field] ?? {})) {
      if (!dep.startsWith("@weft/")) continue;
      declared.add(dep);
      if (!allowed.includes(dep)) problems.push(`${name} -> ${dep} (${field}): edge not allowed`);
    }
  }
  for (const file of sourceFiles(join(pkgDir, "src"))) {
    const text = readFileSync(file, "utf8").replace(/^\s*(?:\/\/|\*).*$/gm, "");
    for (const [, dep] of text.matchAll(IMPORT)) {
      if (dep === name) continue;
      const where = relative(root, file);
      if (!allowed.includes(dep))
        problems.push(`${where} imports ${dep}: edge ${name} -> ${dep} not allowed`);
      else if (!declared.has(dep))
        problems.push(`${where} imports ${dep}, which ${name}/package.json does not declare`);
    }
  }
}

if (problems.length > 0) {
  console.error(`dependency check failed:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log("dependency check: every edge between weft packages is allowed");
