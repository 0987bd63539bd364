import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runRecipe } from "../scripts/lib/run-recipe.mjs";

// A recipe's captured output must not depend on the machine it was captured on: the set-up notices the
// project's scripts print where something had to be installed first ("[setup] installing redis-server ...")
// are dropped, on stdout and stderr alike, and everything else is kept in order.
const dir = mkdtempSync(join(tmpdir(), "weft-run-recipe-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("runRecipe", () => {
  it("drops set-up notices and keeps the recipe's own lines", async () => {
    const script = join(dir, "recipe.mjs");
    writeFileSync(
      script,
      [
        'console.error("[setup] installing redis-server (apt-get) for @weft/distributed ...");',
        'console.log("first line");',
        'console.log("[setup] a notice on stdout");',
        'console.log("a line that mentions [setup] in the middle");',
      ].join("\n"),
    );
    const run = await runRecipe(script);
    expect(run.exitCode).toBe(0);
    expect(run.output).toBe("first line\na line that mentions [setup] in the middle\n");
  });
});
