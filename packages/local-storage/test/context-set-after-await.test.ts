import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

describe("ContextLocal.set() after the first await of a plain async function", () => {
  it("stays within that function even when it is the program's first context use", () => {
    const script = fileURLToPath(new URL("./fixtures/set-after-first-await.mjs", import.meta.url));
    const out = execFileSync(process.execPath, [script], { encoding: "utf8", timeout: 20_000 });
    expect(JSON.parse(out)).toEqual([
      "ada:ada",
      "grace:grace",
      "caller:anonymous",
      "linus:linus",
      "caller:anonymous",
    ]);
  });
});
