import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { sourceGraph } from "../../../scripts/module-graph.mjs";

// `import("@weft/pool")` loads neither @weft/sync's user API (the primitives and the marshal walk, needed only
// for arguments and results that are not plain values) nor @weft/local-storage (needed only once a propagating
// ContextLocal exists, and then the program has loaded it). Both come on first need, as the very modules the
// program imports itself, so classes and contexts are shared whichever is imported first.
const run = promisify(execFile);
const program = (ext: string) =>
  fileURLToPath(new URL(`./fixtures/main-on-first-need-program.${ext}`, import.meta.url));

/** The source modules and files in the static graph of a built entry, as Node resolves it. */
function graphOf(subpath: string): { sources: Set<string>; files: string[] } {
  return sourceGraph(fileURLToPath(import.meta.resolve(subpath)));
}

describe("the main side loads @weft/sync and @weft/local-storage on first need", () => {
  it("the static graph of @weft/pool holds neither @weft/sync's user API nor @weft/local-storage", () => {
    const { sources, files } = graphOf("@weft/pool");
    expect(sources).toContain("core.ts");
    expect(files.filter((f) => /[/\\](sync|local-storage)[/\\]dist[/\\]index\.js$/.test(f))).toEqual([]);
    expect(
      ["marshal.ts", "lock.ts", "context-local.ts", "snapshot.ts"].filter((n) => sources.has(n)),
    ).toEqual([]);
  });

  it.each([
    ["an ES module", "mjs"],
    ["a CommonJS", "cjs"],
  ])(
    "%s program that imports @weft/sync and @weft/local-storage after the pool gets one copy of each",
    async (_, ext) => {
      const { stdout } = await run(process.execPath, [program(ext)], { timeout: 30_000 });
      expect(JSON.parse(stdout)).toEqual({
        object: { sum: 3 },
        earlyError: { name: "ContextLookupError", code: "ERR_WEFT_CONTEXT_LOOKUP", isError: true },
        lock: true,
        heldHere: true,
        context: "req-7",
        noContext: "none",
        lateError: true,
      });
    },
    40_000,
  );
});
