import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BrokenProcessError, ProcessPoolExecutor } from "@weft/process-pool";
import { afterAll, describe, expect, it } from "vitest";
import { loadNative } from "./helpers.js";

// A task returns a large result and leaves a timer behind that calls process.exit(). The child's IPC channel
// writes the result over many turns of its event loop, so the timer fires while most of it is still in the
// child. The task finished: its future must resolve with the whole value, never fail with BrokenProcessError;
// the child then exits with the code it was given and is replaced, and the code after process.exit() does not
// run. A task that itself calls process.exit()
// while an earlier result is still being written fails, and that earlier result is delivered.
const native = await loadNative();
const dir = mkdtempSync(join(tmpdir(), "weft-exit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  ["without shared slots", false],
  ...(native === undefined ? [] : [["with shared slots", true] as const]),
] as const)("process.exit() while a result is being written (%s)", (_, sharedSlots) => {
  it("delivers the result whole, then the child exits and is replaced", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 1, sharedSlots, output: "ignore" });
    const after = join(dir, `after-exit-${sharedSlots}`);
    const [pid, bytes] = await ex.submit(async (marker: string) => {
      const { writeFileSync } = await import("node:fs");
      setTimeout(() => {
        process.exit(4);
        writeFileSync(marker, "the code after process.exit() ran");
      }, 0);
      const big = new Uint8Array(24 << 20);
      big[big.length - 1] = 7;
      return [process.pid, big] as const;
    }, after);
    expect(bytes.length).toBe(24 << 20);
    expect(bytes[bytes.length - 1]).toBe(7);
    let next = pid;
    for (let i = 0; i < 100 && next === pid; i++) {
      await new Promise((r) => setTimeout(r, 20));
      next = await ex.submit(() => process.pid);
    }
    expect(next).not.toBe(pid);
    expect(existsSync(after)).toBe(false);
  });

  it("fails the task that calls it, and delivers the result written before", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 1, sharedSlots, output: "ignore" });
    const first = ex.submit(() => new Uint8Array(24 << 20).fill(3));
    const exits = ex.submit(async () => {
      await new Promise((r) => setTimeout(r, 0));
      process.exit(5);
      return "after exit";
    });
    const bytes = await first;
    expect(bytes.length).toBe(24 << 20);
    expect(bytes[0]).toBe(3);
    const err = await exits.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokenProcessError);
    expect((err as BrokenProcessError).exitCode).toBe(5);
    expect(await ex.submit(() => 1 + 1)).toBe(2);
  });
});
