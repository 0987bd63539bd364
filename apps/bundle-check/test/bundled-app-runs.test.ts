import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { builds, entries, nccAppAlone, singleExecutable, webpackCommonJsApp } from "./bundlers.js";

// What the unbundled app prints (src/app.js): every part of weft ran in its worker and returned.
const expected = {
  thread: 42,
  threadPool: [5, "thread:-874443254", 2, 4],
  processPool: [49, "process:-309518737", 3],
};

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs the bundle with Node's permission model allowing reads inside its folder only (workers and children
 * inherit the flags): a bundle that reached for node_modules or the build machine's paths fails.
 */
function runConfined(
  dir: string,
  main: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const flags = [
    "--experimental-permission",
    `--allow-fs-read=${dir}/`,
    "--allow-worker",
    "--allow-child-process",
  ];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...flags, "--no-warnings", main],
      { cwd: dir, timeout: 30_000, env: { PATH: process.env.PATH ?? "" } },
      (error, stdout, stderr) => resolve({ code: error ? ((error.code as number) ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("a bundled app starts threads, thread-pool workers and process-pool children", () => {
  for (const bundler of builds) {
    it(`${bundler.name}: the bundle runs from a folder without node_modules`, async () => {
      // The OS temporary folder: no node_modules in it or above it.
      const dir = mkdtempSync(join(tmpdir(), "weft-bundle-"));
      made.push(dir);
      const main = await bundler.build(dir);
      // Its own package.json says how to read .js files: one in a folder above would decide otherwise.
      const type = bundler.name.includes("CJS") ? "commonjs" : "module";
      writeFileSync(join(dir, "package.json"), `{ "type": "${type}" }\n`);
      const run = await runConfined(dir, main);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout.trim())).toEqual(expected);
    });
  }
});

describe("a bundle without weft's worker entries", () => {
  const withoutEntries: Record<string, (dir: string) => Promise<string>> = {
    "esbuild ESM": async (dir) => {
      const { build } = await import("esbuild");
      await build({
        entryPoints: [entries.app as string],
        bundle: true,
        platform: "node",
        format: "esm",
        outdir: dir,
        logLevel: "error",
      });
      writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
      return "app.js";
    },
    // webpack leaves the worker URLs of weft's CommonJS build alone: weft must not count on them.
    "webpack CJS": async (dir) => {
      writeFileSync(join(dir, "package.json"), '{ "type": "commonjs" }\n');
      return webpackCommonJsApp(dir, false);
    },
  };
  // ncc builds one entry at a time: its message says how to build the worker entries with ncc.
  it("@vercel/ncc: fails with WorkerEntryError saying how to build the entry with ncc", async () => {
    const dir = mkdtempSync(join(tmpdir(), "weft-bundle-"));
    made.push(dir);
    const run = await runConfined(dir, await nccAppAlone(dir));
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("WorkerEntryError");
    expect(run.stderr).toContain(
      "ncc build node_modules/@weft/threads/dist/thread-worker.js -o <the app's output folder>/thread-worker",
    );
    expect(run.stderr).not.toContain("Cannot find module");
  });
  for (const [name, build] of Object.entries(withoutEntries)) {
    it(`${name}: fails with WorkerEntryError saying which entry to add, not with Cannot find module`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "weft-bundle-"));
      made.push(dir);
      const run = await runConfined(dir, await build(dir));
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain("WorkerEntryError");
      expect(run.stderr).toContain(
        'add "@weft/threads/worker" to the bundle\'s entry points under the name "thread-worker"',
      );
      expect(run.stderr).not.toContain("Cannot find module");
    });
  }
});

describe("a Node single executable application (esbuild CommonJS bundle, --experimental-sea-config, postject)", () => {
  it("runs threads and the thread pool; the process pool needs execPath, and says so with SingleExecutableError", async () => {
    const dir = mkdtempSync(join(tmpdir(), "weft-bundle-"));
    made.push(dir);
    const executable = await singleExecutable(dir);
    writeFileSync(join(dir, "package.json"), '{ "type": "commonjs" }\n');
    const start = (env: Record<string, string>) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(
          executable,
          [],
          { cwd: dir, timeout: 30_000, env: { PATH: process.env.PATH ?? "", ...env } },
          (error, stdout, stderr) =>
            resolve({ code: error ? ((error.code as number) ?? 1) : 0, stdout, stderr }),
        );
      });
    // process.execPath is the application: a child would start the whole app again instead of weft's entry.
    const without = await start({});
    expect(without.code).not.toBe(0);
    expect(without.stderr).toContain("SingleExecutableError");
    expect(without.stderr).toContain("ERR_WEFT_SINGLE_EXECUTABLE");
    expect(without.stderr).toContain("Pass execPath");
    const withNode = await start({ WEFT_CHILD_NODE: process.execPath });
    expect(withNode.stderr).toBe("");
    expect(withNode.code).toBe(0);
    expect(JSON.parse(withNode.stdout.trim())).toEqual(expected);
  });
});
