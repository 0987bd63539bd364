// An esbuild plugin for every package's tsup config: a static `import { a, b } from "node:x"` in weft's sources
// becomes an import of a small generated module that takes `a` and `b` from `process.getBuiltinModule("node:x")`.
// Why: Node builds an ES module namespace for each built-in a process first imports as an ES module, reading
// every export of it (~0.1-0.4 ms each: fs, util, os, worker_threads...), and every weft file is an ES module
// loaded before a pool's first task, on the main thread and again in each worker. `getBuiltinModule` (Node
// 20.16+) returns the built-in's own object and reads only the names used; before 20.16 the generated module
// falls back to `createRequire`. The imports stay imports (one generated module per importing file, built-in
// and set of names, evaluated before its importer), so module cycles and hoisting behave as before, and no
// generated module is shared by two entries (which would split it into a chunk of its own: a worker entry must
// stay one file for the bundlers that copy it as an asset).
// A statement under a line `// builtin-imports: keep (why)` stays an ES module import: webpack recognises
// `new Worker(new URL("./x.js", import.meta.url))` only where Worker is imported from worker_threads.

import { readFile } from "node:fs/promises";
import { dirname, relative } from "node:path";

const NAMESPACE = "weft-builtin";
const PREFIX = `${NAMESPACE}:`;
// The line that keeps the import below it an ES module import.
const KEEP = String.raw`\/\/ builtin-imports: keep \(.+\)\n`;
// One statement per line in weft's sources (a built-in import of another form fails the build).
const IMPORT = new RegExp(String.raw`^(${KEEP})?import\s*\{([^}]*)\}\s*from\s*"(node:[a-z0-9_/]+)";`, "gm");
// An import of a built-in left after the rewrite (one the plugin does not rewrite and no keep line covers).
const LEFT = new RegExp(String.raw`^(?<!${KEEP})import\s(?!type\b)[^;]*from\s*"node:`, "m");

/** The value names an import's braces bind (`a`, `b as c` -> `b`), without `type` specifiers. */
function importedNames(braces) {
  const names = [];
  for (const part of braces.split(",")) {
    const spec = part.trim();
    if (spec === "" || spec.startsWith("type ")) continue;
    names.push(spec.split(/\s+as\s+/)[0]);
  }
  return names;
}

/**
 * @returns {import("esbuild").Plugin}
 * @example
 * ```js
 * esbuildPlugins: [builtinImports()]
 * ```
 */
export function builtinImports() {
  return {
    name: "weft-builtin-imports",
    setup(build) {
      const filter = /[\\/]packages[\\/][^\\/]+[\\/]src[\\/].*\.ts$/;
      build.onLoad({ filter, namespace: "file" }, async (args) => {
        const source = await readFile(args.path, "utf8");
        const importer = relative(process.cwd(), args.path).replaceAll("\\", "/");
        const contents = source.replace(IMPORT, (statement, keep, braces, id) => {
          if (keep !== undefined) return statement;
          const names = importedNames(braces);
          if (names.length === 0) return `import type {${braces.replace(/\btype\s+/g, "")}} from "${id}";`;
          return `import {${braces}} from "${PREFIX}${id}?${[...new Set(names)].sort().join(",")}#${importer}";`;
        });
        const left = LEFT.exec(contents);
        if (left !== null)
          throw new Error(`${args.path}: a built-in import this plugin does not rewrite: ${left[0]}`);
        return { contents, loader: "ts", resolveDir: dirname(args.path) };
      });
      build.onResolve({ filter: new RegExp(`^${PREFIX}`) }, (args) => ({
        path: args.path.slice(PREFIX.length),
        namespace: NAMESPACE,
      }));
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
        const [id, list] = args.path.split("#")[0].split("?");
        const names = list.split(",");
        const get = JSON.stringify(id);
        // (A require function made for any absolute path loads built-ins; this one needs no `import.meta`, which
        // tsup's CommonJS builds with code splitting cannot carry.)
        const lines = [
          'import { createRequire as $createRequire } from "node:module";',
          `const $builtin = process.getBuiltinModule?.(${get}) ?? $createRequire(process.execPath)(${get});`,
          ...names.map((name) => `export const ${name} = $builtin.${name};`),
        ];
        return { contents: lines.join("\n"), loader: "js" };
      });
    },
  };
}
