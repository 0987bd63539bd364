import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

describe("ESM and CJS builds loaded together", () => {
  it("share one context: a value set through one build is read and propagated through the other", () => {
    const script = fileURLToPath(new URL("./fixtures/dual-package.mjs", import.meta.url));
    const out = JSON.parse(execFileSync(process.execPath, [script], { encoding: "utf8", timeout: 20_000 }));
    expect(out).toEqual({
      sameModule: false,
      cjsSeesEsmRun: "r1",
      cjsSnapshotOfEsmRun: { weftContext: 1, names: ["dual.requestId"], values: ["r2"] },
      esmSeesCjsRunWith: "r2",
    });
  });
});
