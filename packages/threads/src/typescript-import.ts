import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

// The global `process`, not `import { cwd } from "node:process"`: that module's ESM namespace reads every
// property of `process` (stdout, stderr, report: net, tty and streams get loaded), ~2 ms at every cold start.
const TS_EXTENSION = /\.[cm]?tsx?$/;

/** Whether a module URL names a TypeScript file. */
export function isTypeScriptUrl(url: string): boolean {
  return url.startsWith("file:") && TS_EXTENSION.test(new URL(url).pathname);
}

type TsImport = (specifier: string, parent: string) => Promise<Record<string, unknown>>;
let tsImport: Promise<TsImport | undefined> | undefined;

/**
 * Imports a TypeScript module through tsx's API. Workers on Node 20 do not inherit the `--import tsx` hooks of
 * the main thread, so a thread imports `.ts` targets with `tsImport`, found from the module's own location (or
 * the working directory) the way the user's project resolves it. Returns undefined when tsx is not installed.
 */
export async function importTypeScript(url: string): Promise<Record<string, unknown> | undefined> {
  tsImport ??= findTsImport(url);
  const load = await tsImport;
  return load === undefined ? undefined : load(url, url);
}

async function findTsImport(from: string): Promise<TsImport | undefined> {
  for (const base of [from, pathToFileURL(join(process.cwd(), "noop.js")).href]) {
    let manifestPath: string;
    try {
      manifestPath = createRequire(base).resolve("tsx/package.json");
    } catch {
      continue;
    }
    // The API's ESM build: the CommonJS one registers its loader with a path that does not resolve here.
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
      exports?: Record<string, { import?: string | { default?: string } }>;
    };
    const entry = manifest.exports?.["./esm/api"]?.import;
    const file = typeof entry === "string" ? entry : entry?.default;
    if (file === undefined) continue;
    const api = (await import(
      /* webpackIgnore: true */ /* @vite-ignore */ pathToFileURL(join(dirname(manifestPath), file)).href
    )) as {
      tsImport?: TsImport;
    };
    if (typeof api.tsImport === "function") return api.tsImport;
  }
  return undefined;
}
