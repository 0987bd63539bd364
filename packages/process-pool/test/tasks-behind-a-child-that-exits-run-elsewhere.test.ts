import { ProcessPoolExecutor } from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { loadNative } from "./helpers.js";

// A finished task leaves a timer behind that calls process.exit() or throws: its child sends the result, then
// exits, and starts none of the tasks the pool had already sent it. Those never started: they must run on
// the child that replaces it, not fail with BrokenProcessError. With shared slots the pool sees in the slot
// memory that they never started; without them the child says so before it exits, and the pool sends it
// nothing more.
const native = await loadNative();

const endings: [string, () => void][] = [
  ["calls process.exit()", () => process.exit(4)],
  [
    "throws outside any task",
    () => {
      throw new Error("stray error from a timer");
    },
  ],
];

describe.each([
  ["without shared slots", false],
  ...(native === undefined ? [] : [["with shared slots", true] as const]),
] as const)("tasks sent to a child that ends after a task (%s)", (_, sharedSlots) => {
  it.each(endings)(
    "run on its replacement when a timer the task left %s",
    async (_, end) => {
      await using ex = new ProcessPoolExecutor({ maxWorkers: 1, sharedSlots, output: "ignore" });
      const first = ex.submit(async (source: string) => {
        setTimeout(new Function(`return (${source})`)(), 0);
        // A result that takes the child's IPC channel a while to write, so the timer fires before it has left.
        return [process.pid, new Uint8Array(8 << 20)] as const;
      }, end.toString());
      const behind = Array.from({ length: 5 }, () => ex.submit(() => process.pid));
      const [pid, bytes] = await first;
      expect(bytes.length).toBe(8 << 20);
      // Submitted once the result has arrived, while the child may still be on its way out.
      const after = Array.from({ length: 3 }, () => ex.submit(() => process.pid));
      const pids = await Promise.all([...behind, ...after]); // BrokenProcessError: sent to the ending child
      for (const p of pids) expect(p).not.toBe(pid);
    },
    20_000,
  );
});
