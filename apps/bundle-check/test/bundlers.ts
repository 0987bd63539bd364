// One build per bundler, each the way the docs' Bundling pages tell users to do it: weft's worker entries
// (@weft/threads/worker, @weft/pool/worker, @weft/process-pool/child) and the app's module task (work.js) are
// extra entry points written beside the app's bundle, under those names.
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const app = fileURLToPath(new URL("../src/app.js", import.meta.url));
const work = fileURLToPath(new URL("../src/work.js", import.meta.url));
const root = fileURLToPath(new URL("..", import.meta.url));

/** The entry points of every build: the app, its module task, and weft's three worker entries. */
export const entries: Record<string, string> = {
  app,
  work,
  "thread-worker": "@weft/threads/worker",
  "pool-worker": "@weft/pool/worker",
  "process-child": "@weft/process-pool/child",
};

/**
 * A bundler build: writes the bundle into `outDir` and says which file to run. ES module bundles are `.js`
 * files beside a package.json that says `"type": "module"` (the test writes it), as an app's own would be.
 */
export interface Build {
  readonly name: string;
  build(outDir: string): Promise<string>;
}

async function esbuild(
  outDir: string,
  format: "esm" | "cjs",
  minified: { minify?: boolean; keepNames?: boolean } = {},
): Promise<string> {
  const { build } = await import("esbuild");
  await build({
    ...minified,
    entryPoints: entries,
    bundle: true,
    platform: "node",
    format,
    outdir: outDir,
    absWorkingDir: root,
    logLevel: "error",
    // An ES module app bundled to CommonJS: import.meta.url (the module task's URL) from the bundle's file name.
    ...(format === "cjs"
      ? {
          banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
          define: { "import.meta.url": "__importMetaUrl" },
        }
      : {}),
  });
  return "app.js";
}

/**
 * The app as a CommonJS program (`require`), so that the bundler takes weft's CommonJS build: written from
 * src/app.js into test-artifacts/ (beside src/, so that it resolves the same packages).
 */
function commonJsApp(taskFile = "work.js"): string {
  const source = readFileSync(app, "utf8")
    .replace(/^import \{ (.+) \} from "(.+)";$/gm, 'const { $1 } = require("$2");')
    .replace(
      'new URL("./work.js", import.meta.url)',
      `require("node:url").pathToFileURL(require("node:path").join(__dirname, "${taskFile}"))`,
    );
  if (source.includes("import"))
    throw new Error("src/app.js has an import the CommonJS version does not cover");
  const dir = fileURLToPath(new URL("../test-artifacts/", import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}app-${taskFile}.cjs`, source);
  return `${dir}app-${taskFile}.cjs`;
}

async function esbuildCommonJsApp(outDir: string): Promise<string> {
  const { build } = await import("esbuild");
  await build({
    entryPoints: { ...entries, app: commonJsApp() },
    bundle: true,
    platform: "node",
    format: "cjs",
    outdir: outDir,
    absWorkingDir: root,
    logLevel: "error",
  });
  return "app.js";
}

async function rollup(outDir: string): Promise<string> {
  const { rollup } = await import("rollup");
  const { nodeResolve } = await import("@rollup/plugin-node-resolve");
  // Its types declare a CommonJS default export, which NodeNext sees as the module object.
  const commonjs = (await import("@rollup/plugin-commonjs"))
    .default as unknown as () => import("rollup").Plugin;
  const bundle = await rollup({
    input: entries,
    plugins: [nodeResolve({ preferBuiltins: true, rootDir: root }), commonjs()],
    external: (id) => id.startsWith("node:"),
    onwarn: () => {},
  });
  await bundle.write({ dir: outDir, format: "es", entryFileNames: "[name].js" });
  await bundle.close();
  return "app.js";
}

async function vite(outDir: string): Promise<string> {
  const { build } = await import("vite");
  await build({
    root,
    configFile: false,
    logLevel: "error",
    ssr: { noExternal: true },
    build: {
      ssr: true,
      outDir,
      emptyOutDir: true,
      rollupOptions: { input: entries, output: { entryFileNames: "[name].js" } },
    },
  });
  return "app.js";
}

/**
 * @vercel/ncc builds one entry at a time: the app, and each of weft's worker entries (the file its subpath
 * names in the package's dist) into a folder of the entry's name beside it, as the ncc page of the docs says.
 * ncc copies the module task, which imports nothing, as an asset.
 */
async function ncc(outDir: string): Promise<string> {
  const cli = join(root, "node_modules", "@vercel", "ncc", "dist", "ncc", "cli.js");
  const build = (input: string, out: string) =>
    promisify(execFile)(process.execPath, [cli, "build", input, "-o", out, "--quiet"], { cwd: root });
  const dist = (pkg: string, name: string) => join(root, "node_modules", "@weft", pkg, "dist", `${name}.js`);
  await Promise.all([
    build(app, outDir),
    build(dist("threads", "thread-worker"), join(outDir, "thread-worker")),
    build(dist("pool", "pool-worker"), join(outDir, "pool-worker")),
    build(dist("process-pool", "process-child"), join(outDir, "process-child")),
  ]);
  return "index.js";
}

/**
 * A Node single executable application (Node 20's `--experimental-sea-config` and postject) made from the esbuild
 * CommonJS bundle, with the worker entries and the module task beside the executable. Returns the executable.
 */
export async function singleExecutable(outDir: string): Promise<string> {
  await esbuild(outDir, "cjs");
  const config = join(outDir, "sea-config.json");
  const blob = join(outDir, "app.blob");
  writeFileSync(
    config,
    JSON.stringify({ main: join(outDir, "app.js"), output: blob, disableExperimentalSEAWarning: true }),
  );
  const run = promisify(execFile);
  await run(process.execPath, ["--experimental-sea-config", config]);
  const executable = join(outDir, "app");
  copyFileSync(process.execPath, executable);
  const postject = join(root, "node_modules", "postject", "dist", "cli.js");
  await run(process.execPath, [
    postject,
    executable,
    "NODE_SEA_BLOB",
    blob,
    "--sentinel-fuse",
    "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2",
  ]);
  return executable;
}

/** The app bundled by @vercel/ncc alone, without weft's worker entries. */
export async function nccAppAlone(outDir: string): Promise<string> {
  const cli = join(root, "node_modules", "@vercel", "ncc", "dist", "ncc", "cli.js");
  await promisify(execFile)(process.execPath, [cli, "build", app, "-o", outDir, "--quiet"], { cwd: root });
  return "index.js";
}

type Webpack = typeof import("webpack");

/** Runs one webpack build; fails with webpack's errors. */
async function compile(webpack: Webpack, config: import("webpack").Configuration): Promise<void> {
  const compiler = webpack(config);
  const stats = await new Promise<import("webpack").Stats>((resolve, reject) =>
    compiler.run((error, result) => (error || !result ? reject(error) : resolve(result))),
  );
  await new Promise((resolve) => compiler.close(resolve));
  if (stats.hasErrors()) throw new Error(stats.toString({ all: false, errors: true }));
}

async function webpack(outDir: string): Promise<string> {
  const { default: webpack } = await import("webpack");
  await compile(webpack, {
    mode: "production",
    target: "node20",
    context: root,
    // webpack emits the thread and pool worker entries itself (it follows their new Worker(new URL(...))) and the
    // module task (a new URL(..., import.meta.url) asset); the child process entry has to be an entry point.
    entry: { app, "process-child": entries["process-child"] as string },
    experiments: { outputModule: true },
    output: { path: outDir, filename: "[name].js", module: true, chunkFormat: "module" },
    optimization: { minimize: false },
  });
  return "app.js";
}

/**
 * webpack with a CommonJS app (`require`): webpack takes weft's CommonJS build, whose worker URLs it does not
 * rewrite, so all three entries are entry points. The module task is an ES module of its own (work.mjs), so that
 * the worker's import() sees its named export.
 */
export async function webpackCommonJsApp(outDir: string, withWorkers = true): Promise<string> {
  const { default: webpack } = await import("webpack");
  const common = {
    mode: "production",
    target: "node20",
    context: root,
    optimization: { minimize: false },
  } as const;
  const { work: _, app: __, ...workers } = entries;
  await compile(webpack, {
    ...common,
    entry: { ...(withWorkers ? workers : {}), app: commonJsApp("work.mjs") },
    output: { path: outDir, filename: "[name].js" },
  });
  await compile(webpack, {
    ...common,
    entry: { work },
    experiments: { outputModule: true },
    output: { path: outDir, filename: "[name].mjs", module: true, library: { type: "module" } },
  });
  return "app.js";
}

export const builds: readonly Build[] = [
  { name: "esbuild ESM", build: (dir) => esbuild(dir, "esm") },
  { name: "esbuild CJS", build: (dir) => esbuild(dir, "cjs") },
  // Minified with names kept: inline functions carry esbuild's renamed __name helper (classes in static blocks).
  {
    name: "esbuild ESM, --minify --keep-names",
    build: (dir) => esbuild(dir, "esm", { minify: true, keepNames: true }),
  },
  { name: "esbuild CJS, app written with require", build: esbuildCommonJsApp },
  { name: "rollup", build: rollup },
  { name: "Vite SSR", build: vite },
  { name: "webpack", build: webpack },
  { name: "webpack CJS, app written with require", build: (dir) => webpackCommonJsApp(dir) },
  { name: "@vercel/ncc", build: ncc },
];
