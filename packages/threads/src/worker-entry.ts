// Where weft's worker entries are (the files a Thread, a pool worker and a pool child run), in every way an app
// is shipped: installed packages (the entry is beside the package's own module), bundles whose bundler emitted the
// entry itself (webpack 5 follows `new Worker(new URL("./x.js", import.meta.url))`), bundles given the entries as
// extra entry points (esbuild, rollup, Vite SSR: the entry is beside the bundle or beside the main script), bundles
// made with @vercel/ncc (one entry per build: each worker entry is built into a folder of its name beside the
// app, `NAME/index.js`), and any other setup through an explicit `workerEntry` option.

import { existsSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { WorkerEntryError } from "./errors.js";

/** Defined by webpack in every module it bundles (its module loader); undeclared anywhere else. */
declare const __webpack_require__: unknown;
/** Defined by this package's build: "esm" or "cjs" (undefined when the sources run as they are, in tests). */
declare const __WEFT_FORMAT__: string | undefined;

/**
 * One of weft's worker entries: what to look for and what to tell the user when it is missing.
 *
 * @example
 * ```ts
 * const POOL_WORKER: WorkerEntrySpec = {
 *   name: "pool-worker",
 *   subpath: "@weft/pool/worker",
 *   option: "new ThreadPoolExecutor({ workerEntry })",
 * };
 * ```
 */
export interface WorkerEntrySpec {
  /** The built entry's file name without extension, unique across weft ("pool-worker"). */
  readonly name: string;
  /** The package subpath that a bundle lists as an extra entry point ("@weft/pool/worker"). */
  readonly subpath: string;
  /** Where the explicit option goes, for messages ("new ThreadPoolExecutor({ workerEntry })"). */
  readonly option: string;
}

const EXTENSIONS = [".js", ".mjs", ".cjs"];

/** Whether webpack bundled this code (then `import.meta.url` is the build machine's path, not this file's). */
function bundledByWebpack(): boolean {
  return typeof __webpack_require__ !== "undefined";
}

/**
 * Whether @vercel/ncc bundled this code: ncc is webpack with an asset relocator, which sets the folder of its
 * assets as `ab` on webpack's module loader. ncc copies what `new Worker(new URL("./x.js", import.meta.url))`
 * names as an asset, unbundled (a copy of weft's dist file that imports files and packages the app does not
 * ship), so nothing is emitted for weft.
 */
function bundledByNcc(): boolean {
  return typeof (__webpack_require__ as { ab?: unknown }).ab === "string";
}

function ownDirectory(here: string | undefined): string | undefined {
  if (typeof here !== "string" || !here.startsWith("file:")) return undefined;
  const file = fileURLToPath(here);
  // Running from source (tests import ../src): the entry is in the package's dist, which the build produces.
  return /\.[cm]?tsx?$/.test(file) ? join(dirname(file), "..", "dist") : dirname(file);
}

function mainDirectory(): string | undefined {
  const main = process.argv[1];
  if (typeof main !== "string" || !isAbsolute(main)) return undefined;
  try {
    return dirname(realpathSync(main));
  } catch {
    return dirname(main);
  }
}

/**
 * Finds a worker entry of weft: returns its absolute path, or "emitted" when the bundler emitted it. When
 * `emittedByBundler` is true and webpack bundled weft's ES module build, the answer is "emitted": the caller then
 * starts its `new Worker(new URL(...))` expression, which webpack rewrote to the chunk it emitted. Otherwise the
 * entry is looked for, as `NAME.js`, `NAME.mjs` or `NAME.cjs`, beside the asking module (an installed package's
 * dist, or the bundle that contains weft) and then beside the main script (a bundle whose extra entry points
 * were written next to it).
 *
 * @param spec - which entry, and how to explain its absence
 * @param here - the asking module's own `import.meta.url` (undefined in a CommonJS bundle of weft's ES modules,
 *   where the bundle is the main script)
 * @param emittedByBundler - whether the caller starts the entry through a bundler-visible `new Worker(new URL())`
 * @throws WorkerEntryError naming the places searched and how to ship the entry
 * @example
 * ```ts
 * const where = locateWorkerEntry(POOL_WORKER, import.meta.url, true);
 * ```
 */
export function locateWorkerEntry(
  spec: WorkerEntrySpec,
  here: string | undefined,
  emittedByBundler: true,
): string | "emitted";
export function locateWorkerEntry(
  spec: WorkerEntrySpec,
  here: string | undefined,
  emittedByBundler: false,
): string;
export function locateWorkerEntry(
  spec: WorkerEntrySpec,
  here: string | undefined,
  emittedByBundler: boolean,
): string | "emitted" {
  const webpack = bundledByWebpack();
  const ncc = webpack && bundledByNcc();
  // webpack rewrites `new URL(..., import.meta.url)` in ES modules only: in weft's CommonJS build the
  // expression reads tsup's import.meta.url shim, which webpack leaves alone.
  const format = typeof __WEFT_FORMAT__ === "string" ? __WEFT_FORMAT__ : "esm";
  if (webpack && !ncc && emittedByBundler && format === "esm") return "emitted";
  const places: string[] = [];
  const own = webpack ? undefined : ownDirectory(here);
  if (own !== undefined) places.push(own);
  const main = mainDirectory();
  if (main !== undefined && !places.includes(main)) places.push(main);
  for (const place of places) {
    for (const extension of EXTENSIONS) {
      const path = join(place, spec.name + extension);
      if (existsSync(path)) return path;
    }
    // What `ncc build <entry> -o NAME` writes.
    const path = join(place, spec.name, "index.js");
    if (existsSync(path)) return path;
  }
  const pkg = spec.subpath.split("/").slice(0, 2).join("/");
  if (ncc) {
    throw new WorkerEntryError(
      `${pkg} cannot find its worker entry ${spec.name}/index.js (looked in ${places.join(", ") || "no directory"}). ` +
        "This app was bundled with @vercel/ncc, which builds one entry at a time and copies weft's worker " +
        `entries without bundling them: build "${spec.subpath}" with ncc into a folder named "${spec.name}" ` +
        `beside the app (ncc build node_modules/${pkg}/dist/${spec.name}.js -o <the app's output folder>/` +
        `${spec.name}; see the Bundling pages of weft's docs), or pass its path as ${spec.option}.`,
    );
  }
  throw new WorkerEntryError(
    `${pkg} cannot find its worker entry ${spec.name}.js (looked in ` +
      `${places.length > 0 ? places.join(", ") : "no directory: the module location is unknown"}). This happens ` +
      `in a bundled app: add "${spec.subpath}" to the bundle's entry points under the name "${spec.name}", so that ` +
      `${spec.name}.js is written beside the bundle (see the Bundling pages of weft's docs), or pass its path as ` +
      `${spec.option}.`,
  );
}

/**
 * Validates an explicit `workerEntry` option: an absolute path, a `file:` URL string or a `file:` URL, naming
 * an existing file. Returns the path.
 *
 * @param option - how the option is written, for the message ("new ThreadPoolExecutor({ workerEntry })")
 * @param value - the option's value
 * @throws WorkerEntryError when the value is not one of those forms or the file does not exist
 * @example
 * ```ts
 * const path = checkWorkerEntry("new Thread({ workerEntry })", new URL("./thread-worker.js", import.meta.url));
 * ```
 */
export function checkWorkerEntry(option: string, value: unknown): string {
  let path: string | undefined;
  if (value instanceof URL) {
    path = value.protocol === "file:" ? fileURLToPath(value) : undefined;
  } else if (typeof value === "string") {
    if (value.startsWith("file:")) {
      try {
        path = fileURLToPath(value);
      } catch {
        path = undefined;
      }
    } else if (isAbsolute(value)) {
      path = value;
    }
  }
  if (path === undefined) {
    const shown =
      typeof value === "string" || value instanceof URL ? JSON.stringify(String(value)) : typeof value;
    throw new WorkerEntryError(
      `${option} must be an absolute path or a file: URL of weft's worker entry file, got ${shown}.`,
    );
  }
  if (!existsSync(path)) {
    throw new WorkerEntryError(`${option} names ${pathToFileURL(path).href}, which does not exist.`);
  }
  return path;
}
