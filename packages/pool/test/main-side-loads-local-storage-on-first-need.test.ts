import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { sourceGraph } from "../../../scripts/module-graph.mjs";

// `import("@weft/pool")` does not load @weft/local-storage: the main side reads the submitting context through
// the slot that a ContextLocal with `propagate: true` publishes (without one there is no context to carry).
// @weft/sync stays a plain import: the very module the program imports, so a Lock the program passes or gets
// back is of its own class, whichever is imported first, also under loaders that hook require() (tsx).
const run = promisify(execFile);
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const program = (ext: string) =>
  fileURLToPath(new URL(`./fixtures/main-on-first-need-program.${ext}`, import.meta.url));

/** The source modules and files in the static graph of a built entry, as Node resolves it. */
function graphOf(subpath: string): { sources: Set<string>; files: string[] } {
  return sourceGraph(fileURLToPath(import.meta.resolve(subpath)));
}

describe("the main side loads @weft/local-storage only for a propagating ContextLocal", () => {
  it("the static graph of @weft/pool does not hold @weft/local-storage", () => {
    const { sources, files } = graphOf("@weft/pool");
    expect(sources).toContain("core.ts");
    expect(files.filter((f) => /[/\\]local-storage[/\\]dist[/\\]/.test(f))).toEqual([]);
    expect(["context-local.ts", "snapshot.ts"].filter((n) => sources.has(n))).toEqual([]);
  });

  it.each([
    ["an ES module", "mjs", []],
    ["a CommonJS", "cjs", []],
    ["an ES module (under tsx)", "mjs", ["--import", "tsx"]],
  ])(
    "%s program that imports @weft/sync and @weft/local-storage after the pool sees one copy of each",
    async (_, ext, flags) => {
      const { stdout } = await run(process.execPath, [...flags, program(ext)], {
        timeout: 30_000,
        cwd: packageDir,
      });
      expect(JSON.parse(stdout)).toEqual({
        object: { sum: 3 },
        earlyError: { name: "ContextLookupError", code: "ERR_WEFT_CONTEXT_LOOKUP", isError: true },
        lock: true,
        heldHere: true,
        lockBack: true,
        context: "req-7",
        noContext: "none",
        lateError: true,
      });
    },
    40_000,
  );
});
