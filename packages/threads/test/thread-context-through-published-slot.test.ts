import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

// A Thread (and a pool, through contextSnapshot() of the extension API) captures the propagating ContextLocal
// values through the slot @weft/local-storage publishes: it works whichever package the program imports first,
// and without a propagating ContextLocal there is nothing to capture (undefined). A fresh process, so that
// nothing has published yet.
const run = promisify(execFile);
const program = fileURLToPath(new URL("./fixtures/context-loaded-after-threads.mjs", import.meta.url));

describe("context capture through @weft/local-storage's published slot", () => {
  it("a program that imports @weft/local-storage after @weft/threads still carries its context into a Thread", async () => {
    const { stdout } = await run(process.execPath, [program], { timeout: 30_000 });
    const seen = JSON.parse(stdout) as Record<string, unknown>;
    expect(seen.before).toBeUndefined();
    expect(seen.outside).toBeUndefined();
    expect(seen.inside).toEqual({ weftContext: 1, names: ["test.requestId"], values: ["req-9"] });
    expect(seen.thread).toBe("req-9");
  }, 40_000);
});
