// A child holds the results of quick tasks for a moment to send several in one message, and sends them
// before its next task blocks on a process-shared primitive. A large result takes its IPC channel many writes
// over turns of the child's event loop, which the blocked task stops: it must have left before that task
// starts, or the task may wait (here until its timeout) for what its future lets the program do next.
import { ProcessPoolExecutor } from "@weft/process-pool";
import { Event } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { loadNative } from "./helpers.js";

const native = await loadNative();
const CHARS = 4_000_000;

// One target for the large result and the blocking call, so that the child has just seen it run quickly
// (the string is made once per child: returning it again takes microseconds).
const bigOrWaitForEvent = (event: Event | null, chars: number): string | boolean => {
  if (event !== null) return event.waitSync({ timeout: 3000 });
  const g = globalThis as { bigResult?: string };
  g.bigResult ??= "x".repeat(chars);
  return g.bigResult;
};
const spin = (ms: number): void => {
  const end = Date.now() + ms;
  while (Date.now() < end) {}
};

describe.skipIf(native === undefined).each([{ sharedSlots: true }, { sharedSlots: false }])(
  "a large finished result while the next task in its child blocks, sharedSlots: $sharedSlots",
  ({ sharedSlots }) => {
    it("arrives while the next task waits for an Event (which the program sets once it has the result)", async () => {
      using shm = native!.SharedMemory.create(4096);
      await using pool = new ProcessPoolExecutor({ maxWorkers: 1, sharedSlots });
      expect(await pool.submit(bigOrWaitForEvent, null, CHARS)).toHaveLength(CHARS);
      for (let round = 0; round < 3; round++) {
        const go = new Event(shm.place(Event));
        void pool.submit(spin, 30); // keeps the child busy while the next three queue up behind it
        void pool.submit(bigOrWaitForEvent, null, CHARS); // the target runs quickly twice in a row
        const big = pool.submit(bigOrWaitForEvent, null, CHARS);
        const waiting = pool.submit(bigOrWaitForEvent, go, 0);
        expect(await big).toHaveLength(CHARS);
        go.set();
        expect(await waiting).toBe(true); // false: it waited the whole 3 s for the Event
      }
    }, 30_000);
  },
);
