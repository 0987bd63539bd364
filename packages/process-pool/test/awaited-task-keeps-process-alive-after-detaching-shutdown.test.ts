import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const script = fileURLToPath(new URL("./fixtures/awaited-after-shutdown.mjs", import.meta.url));

// After shutdown({ wait: false, cancelFutures: true }) a running task no longer keeps the script alive (a
// stuck task must not keep it from exiting: terminate-and-kill.test.ts), unless the script waits for that
// task's future: the script then gets the outcome instead of ending with the future pending (exit code 13,
// "unsettled top-level await", or a callback that never runs). The same for a script that waits for the
// pool itself, with shutdown() (wait: true) after or before that shutdown, as Python's shutdown(wait=True).
describe("a running task whose future is waited for, after shutdown({ wait: false, cancelFutures: true })", () => {
  it.each([
    ["await", 42],
    ["result", 42],
    ["then", 42],
    ["callback", "done"],
    ["beside-stuck", 42],
    ["shutdown-after", 42],
    ["shutdown-before", 42],
  ] as const)(
    "keeps the script alive until it ends, and no longer (%s)",
    async (mode, value) => {
      const { stdout } = await run(process.execPath, [script, mode], { timeout: 20_000 });
      expect(JSON.parse(stdout)).toEqual({ value });
    },
    30_000,
  );
});
