import { expect, it } from "vitest";
import { evaluateSource } from "../src/source-shims.js";

// Function targets compiled by vitest call `__vite_ssr_dynamic_import__(x)` for `import(x)`; the thread provides
// it. Here source-shims.ts itself is compiled by vitest, which rewrites its own `import()` the same way: the
// provided function must reach vitest's import, not itself (it recursed until the stack overflowed when a
// function of that name was declared in the module).
it("the provided __vite_ssr_dynamic_import__ imports the module, also where vitest compiled the shims", async () => {
  const target = evaluateSource(
    "(name) => __vite_ssr_dynamic_import__(name).then((m) => typeof m.join)",
    "importer",
  ) as (name: string) => Promise<string>;
  expect(await target("node:path")).toBe("function");
});
