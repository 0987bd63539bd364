import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

// What other weft packages read instead of importing this package (published-slots.ts): snapshot() once a
// ContextLocal with `propagate: true` exists (one entry per copy of the package), and the error classes. Each
// case is a fresh process, so that nothing else has published yet.
const run = promisify(execFile);
const cwd = fileURLToPath(new URL("..", import.meta.url));
const SNAPSHOT = 'Symbol.for("@weft/local-storage:snapshot")';
const ERRORS = 'Symbol.for("@weft/local-storage:errors")';

async function inFreshProcess(source: string, type: "module" | "commonjs" = "module"): Promise<unknown> {
  const args = type === "module" ? ["--input-type=module", "-e", source] : ["-e", source];
  const { stdout } = await run(process.execPath, args, { cwd });
  return JSON.parse(stdout);
}

describe("the slots @weft/local-storage publishes on globalThis", () => {
  it("snapshot() only once a propagating ContextLocal exists; the error classes at load", async () => {
    const seen = await inFreshProcess(`
      const ls = await import("@weft/local-storage");
      const out = { atLoad: globalThis[${SNAPSHOT}] === undefined, errors: globalThis[${ERRORS}]?.ContextLookupError === ls.ContextLookupError };
      new ls.ContextLocal({ name: "not-propagated" });
      out.afterLocal = globalThis[${SNAPSHOT}] === undefined;
      const id = new ls.ContextLocal({ name: "id", propagate: true });
      new ls.ContextLocal({ name: "another", propagate: true });
      const slot = globalThis[${SNAPSHOT}];
      out.published = Array.isArray(slot) && slot.length === 1 && slot[0] === ls.snapshot;
      out.unset = slot[0]() === undefined;
      out.set = id.run("r1", () => slot[0]()?.values);
      console.log(JSON.stringify(out));`);
    expect(seen).toEqual({
      atLoad: true,
      errors: true,
      afterLocal: true,
      published: true,
      unset: true,
      set: ["r1"],
    });
  });

  it("each copy of the package (ES module and CommonJS) adds its own snapshot(); the first copy's errors stay", async () => {
    const seen = await inFreshProcess(`
      import { createRequire } from "node:module";
      const esm = await import("@weft/local-storage");
      const cjs = createRequire(process.cwd() + "/x.js")("@weft/local-storage");
      new esm.ContextLocal({ name: "a", propagate: true });
      new cjs.ContextLocal({ name: "b", propagate: true });
      const slot = globalThis[${SNAPSHOT}];
      console.log(JSON.stringify({
        copies: slot.length, esmFirst: slot[0] === esm.snapshot, cjsSecond: slot[1] === cjs.snapshot,
        errors: globalThis[${ERRORS}].ContextLookupError === esm.ContextLookupError,
      }));`);
    expect(seen).toEqual({ copies: 2, esmFirst: true, cjsSecond: true, errors: true });
  });

  it("the slots cannot be replaced", async () => {
    const seen = await inFreshProcess(`
      const ls = await import("@weft/local-storage");
      new ls.ContextLocal({ name: "a", propagate: true });
      let threw = false;
      try { "use strict"; Object.defineProperty(globalThis, ${SNAPSHOT}, { value: [] }); } catch { threw = true; }
      console.log(JSON.stringify({ threw, kept: globalThis[${SNAPSHOT}][0] === ls.snapshot }));`);
    expect(seen).toEqual({ threw: true, kept: true });
  });
});
