import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PoolOptionError, ProcessPoolExecutor, SingleExecutableError } from "@weft/process-pool";
import { afterAll, describe, expect, it } from "vitest";
import { thrownBy } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "weft-exec-path-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The children's Node binary: what a single executable application must give (its own execPath is the app).
describe("new ProcessPoolExecutor({ execPath })", () => {
  it("runs the pool's children with the given Node binary", async () => {
    const wrapper = join(dir, "node-wrapper");
    writeFileSync(wrapper, `#!/bin/sh\nWEFT_VIA_WRAPPER=yes exec "${process.execPath}" "$@"\n`);
    chmodSync(wrapper, 0o755);
    await using pool = new ProcessPoolExecutor({ maxWorkers: 1, execPath: wrapper });
    expect(await pool.submit(() => process.env.WEFT_VIA_WRAPPER)).toBe("yes");
  });

  it("refuses what is not a non-empty string, when the pool is created", () => {
    for (const [execPath, got] of [
      ["", "string"],
      [null, "null"],
      [new URL("file:///usr/bin/node"), "object"],
    ] as const) {
      const error = thrownBy(() => new ProcessPoolExecutor({ execPath: execPath as string }));
      expect(error).toBeInstanceOf(PoolOptionError);
      expect(error.message).toBe(
        `execPath must be the path of a Node binary (a non-empty string), got ${got}`,
      );
    }
  });

  it("SingleExecutableError, thrown without it in a single executable application, has a stable code", () => {
    expect(new SingleExecutableError("x")).toMatchObject({
      name: "SingleExecutableError",
      code: "ERR_WEFT_SINGLE_EXECUTABLE",
    });
  });
});
