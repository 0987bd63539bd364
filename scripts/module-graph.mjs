#!/usr/bin/env node
// The static ESM module graph of a built entry: every file that loads before its code runs (static `import` and
// `export ... from`, not `import()`), with weft's package subpaths resolved through their exports maps. Cold
// start pays for every one of these files; the worker-graph tests check what worker entries load with it.
// CLI: `node scripts/module-graph.mjs <package subpath | file>` (run from a package that depends on it) prints
// each file with its size.
import { readFileSync, statSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const STATIC_IMPORT = /(?:^|[\n;])\s*(?:import|export)\s+(?:[^;"'`]*?\s+from\s+)?"([^"]+)"/g;

/** The conditions Node's ESM loader matches (Node 20.19+ and 22.12+, which can require() ES modules: module-sync). */
const CONDITIONS = new Set(["node", "import", "module-sync", "default"]);

/** The ESM file that an exports/imports map target names (a string or a condition object), as Node picks it. */
function esmTarget(target) {
  if (typeof target === "string") return target;
  if (target === null || typeof target !== "object") return undefined;
  for (const [condition, next] of Object.entries(target)) {
    if (!CONDITIONS.has(condition)) continue;
    const found = esmTarget(next);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The package.json that holds `file`, and its directory. */
function owningPackage(file) {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      return { dir, json: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) };
    } catch {}
  }
  return undefined;
}

/** Resolves a bare specifier (`@weft/pool/worker`, `#acorn`) from `parent` as Node's ESM loader does, for weft's maps. */
function resolveBare(specifier, parent) {
  if (specifier.startsWith("#")) {
    const own = owningPackage(parent);
    const target = esmTarget(own?.json.imports?.[specifier]);
    return target === undefined ? undefined : join(own.dir, target);
  }
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  const subpath = `.${specifier.slice(name.length)}`;
  let manifest;
  try {
    manifest = createRequire(parent).resolve(`${name}/package.json`);
  } catch {
    return undefined; // not installed where `parent` is, or it exports no package.json (a third-party package)
  }
  const json = JSON.parse(readFileSync(manifest, "utf8"));
  const target = esmTarget(
    json.exports?.[subpath] ?? (subpath === "." ? (json.module ?? json.main) : undefined),
  );
  return target === undefined ? undefined : join(dirname(manifest), target);
}

/**
 * Every file in the static graph of `entry` (a path), in load order, with its size in bytes; specifiers it
 * could not follow (third-party packages) are listed in `unresolved`.
 *
 * @example
 * ```js
 * const { files } = moduleGraph(fileURLToPath(import.meta.resolve("@weft/pool/worker")));
 * ```
 */
export function moduleGraph(entry) {
  const files = new Map();
  const unresolved = new Set();
  const visit = (file) => {
    if (files.has(file)) return;
    const source = readFileSync(file, "utf8");
    files.set(file, statSync(file).size);
    for (const [, specifier] of source.matchAll(STATIC_IMPORT)) {
      if (isBuiltin(specifier)) continue;
      const next = /^\.\.?\//.test(specifier)
        ? fileURLToPath(new URL(specifier, pathToFileURL(file)))
        : resolveBare(specifier, file);
      if (next === undefined) unresolved.add(specifier);
      else visit(next);
    }
  };
  visit(entry);
  return { files: [...files].map(([file, bytes]) => ({ file, bytes })), unresolved: [...unresolved] };
}

/**
 * The files of `entry`'s static graph (see {@link moduleGraph}) and the source modules they were built from
 * (tsup/esbuild's `// src/x.ts` and `// ../pkg/src/x.ts` markers): what tests check to say an entry loads, or does not load, a module.
 *
 * @example
 * ```js
 * const { sources } = sourceGraph(fileURLToPath(import.meta.resolve("@weft/pool/worker")));
 * sources.has("task-server.ts"); // true
 * ```
 */
export function sourceGraph(entry) {
  const { files } = moduleGraph(entry);
  const sources = new Set();
  for (const { file } of files) {
    for (const [, name] of readFileSync(file, "utf8").matchAll(
      /^\/\/ (?:\.\.\/[\w-]+\/)?src\/([\w-]+\.ts)$/gm,
    ))
      sources.add(name);
  }
  return { sources, files: files.map((f) => f.file) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [what] = process.argv.slice(2);
  const entry = what.startsWith("/") ? what : resolveBare(what, join(process.cwd(), "noop.js"));
  const { files, unresolved } = moduleGraph(entry);
  for (const { file, bytes } of files)
    console.log(`${String(bytes).padStart(7)}  ${relative(process.cwd(), file)}`);
  const total = files.reduce((sum, f) => sum + f.bytes, 0);
  console.log(
    `${files.length} files, ${(total / 1024).toFixed(0)} KB${unresolved.length ? `; not followed: ${unresolved.join(", ")}` : ""}`,
  );
}
