import { fileURLToPath } from "node:url";
import { moduleTask, ThreadPoolExecutor } from "@weft/pool";
import { Lock } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { sourceGraph } from "../../../scripts/module-graph.mjs";

// The modules that only the main thread runs: describing a target (acorn, the free-variable analysis, the
// known-globals table), starting workers, and the executor core.
const MAIN_SIDE = [
  "describe-target.ts",
  "free-variables.ts",
  "known-globals.ts",
  "exec-argv.ts",
  "worker-entry.ts",
  "core.ts",
  "scheduler.ts",
  "thread-pool.ts",
];

/** The source modules and files in the static graph of a built entry. */
function graphOf(subpath: string): { sources: Set<string>; files: string[] } {
  return sourceGraph(fileURLToPath(import.meta.resolve(subpath)));
}

describe("the pool worker entry loads only the worker side", () => {
  it("@weft/pool/worker reaches none of the main-side modules of @weft/pool or @weft/threads", () => {
    const { sources, files } = graphOf("@weft/pool/worker");
    expect(sources).toContain("task-server.ts");
    expect(sources).toContain("load-target.ts");
    expect(MAIN_SIDE.filter((name) => sources.has(name))).toEqual([]);
    expect(files.filter((f) => f.includes("acorn"))).toEqual([]);
  });

  it("@weft/pool/worker-extension (a process child's import) reaches none of them either", () => {
    const { sources } = graphOf("@weft/pool/worker-extension");
    expect(sources).toContain("task-server.ts");
    expect(MAIN_SIDE.filter((name) => sources.has(name))).toEqual([]);
  });

  it("@weft/pool/worker is one self-contained file: a worker resolves no package before its first task", () => {
    const { files } = graphOf("@weft/pool/worker");
    expect(files).toEqual([fileURLToPath(import.meta.resolve("@weft/pool/worker"))]);
  });

  it("@weft/pool/worker does not load @weft/local-storage before a task carries a context", () => {
    const { sources } = graphOf("@weft/pool/worker");
    expect(
      ["context-local.ts", "snapshot.ts", "local-storage-errors.ts"].filter((n) => sources.has(n)),
    ).toEqual([]);
  });

  it("neither entry loads @weft/sync's user API before a task needs the marshal walk", () => {
    for (const subpath of ["@weft/pool/worker", "@weft/pool/worker-extension"]) {
      const { sources, files } = graphOf(subpath);
      expect(files.filter((f) => /[/\\]sync[/\\]dist[/\\]index\.js$/.test(f))).toEqual([]);
      expect(["marshal.ts", "lock.ts"].filter((name) => sources.has(name))).toEqual([]);
    }
  });

  it("a task in the worker sees the same classes as the worker entry (one copy of each module)", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const task = moduleTask(new URL("./fixtures/worker-identity.mjs", import.meta.url), "identities");
    expect(await pool.submit(task, new Lock())).toEqual({ lockIsLock: true, oneErrorClass: true });
  });
});
