import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Each scenario runs in a fresh process, so nothing else has switched promise hooks on before it.
const script = fileURLToPath(new URL("./fixtures/promise-hooks-state.mjs", import.meta.url));
const steps = (scenario: string): [string, boolean][] =>
  JSON.parse(execFileSync(process.execPath, [script, scenario], { encoding: "utf8", timeout: 20_000 }));

// On runtimes whose AsyncLocalStorage needs no promise hooks (AsyncContextFrame), there is nothing to observe.
const alsUsesPromiseHooks = steps("control")[1]?.[1] === true;

describe.skipIf(!alsUsesPromiseHooks)("promise hooks are switched on only when context is used", () => {
  it("the probe sees AsyncLocalStorage switch the hooks on", () => {
    expect(steps("control")).toEqual([
      ["start", false],
      ["after AsyncLocalStorage.run", true],
    ]);
  });

  it("importing the package (ESM or CJS) leaves them off", () => {
    expect(steps("import-cjs")).toEqual([["after require", false]]);
    expect(steps("unused-api")).toEqual([
      ["after import", false],
      ["after snapshot, runWith(undefined) and ThreadLocal", false],
    ]);
  });

  it("constructing any ContextLocal switches them on", () => {
    expect(steps("context-local")).toEqual([
      ["after import", false],
      ["after new ContextLocal", true],
    ]);
    expect(steps("propagating-context-local")).toEqual([
      ["after import", false],
      ["after new ContextLocal (propagate)", true],
    ]);
  });

  it("runWith(snapshot) switches them on before it runs the task", () => {
    expect(steps("run-with")).toEqual([
      ["after import", false],
      ["inside runWith(snapshot)", true],
    ]);
  });
});
