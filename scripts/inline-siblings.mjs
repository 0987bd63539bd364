// An esbuild plugin for the tsup configs of packages whose built files carry their own copy of some modules of
// sibling weft packages (see each tsup.config.ts for why): a static import of one of `sources` is bundled from
// that package's source, module by module, so only the modules used end up in the file; a dynamic import of it
// stays an import of the package itself (loaded when needed, the one copy shared with the user's own imports).
// `rewrite` maps other specifiers to the package specifier they stand for (e.g. "#acorn", a package import of
// @weft/threads, to "@weft/threads/acorn"), kept external; `shared` maps source files of those packages to the
// package that exports them, so that an inlined module imports them from there (the one copy whose classes the
// user sees) instead of carrying a copy.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * @param {Record<string, string>} sources specifier -> source file, relative to this repository's root
 * @param {Record<string, string>} [rewrite] specifier -> the external specifier to import instead
 * @param {Record<string, string>} [shared] source file (relative to the repository's root) -> package specifier
 * @returns {import("esbuild").Plugin}
 * @example
 * ```js
 * esbuildPlugins: [inlineSiblings({ "@weft/sync/extension": "packages/sync/src/extension.ts" })]
 * ```
 */
export function inlineSiblings(sources, rewrite = {}, shared = {}) {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const names = [...Object.keys(sources), ...Object.keys(rewrite)];
  const filter = new RegExp(`^(${names.map(escapeRegExp).join("|")})$`);
  return {
    name: "weft-inline-siblings",
    setup(build) {
      build.onResolve({ filter }, (args) => {
        if (args.path in rewrite) return { path: rewrite[args.path], external: true };
        if (args.kind === "dynamic-import") return { path: args.path, external: true };
        return { path: `${root}${sources[args.path]}` };
      });
      const sharedFiles = new Map(Object.entries(shared).map(([file, pkg]) => [join(root, file), pkg]));
      if (sharedFiles.size > 0) {
        build.onResolve({ filter: /^\.\.?\// }, (args) => {
          const file = join(dirname(args.importer), args.path).replace(/\.js$/, ".ts");
          const pkg = sharedFiles.get(file);
          return pkg === undefined ? undefined : { path: pkg, external: true };
        });
      }
    },
  };
}
