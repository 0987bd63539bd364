// A child holds the results of quick tasks for a moment to send several in one message. If the task it runs
// next blocks on a process-shared primitive, those results must not wait for it: the blocked task may be
// waiting for exactly what their futures let the program do next (here: set the Event).
import { ProcessPoolExecutor } from "@weft/process-pool";
import { Event } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { loadNative } from "./helpers.js";

const native = await loadNative();

// One target for the quick call and the blocking one, so that the child has just seen it run quickly.
const quickOrWaitForEvent = (event: Event | null, value: number): number | boolean =>
  event === null ? value : event.waitSync({ timeout: 3000 });
const spin = (ms: number): void => {
  const end = Date.now() + ms;
  while (Date.now() < end) {}
};

describe.skipIf(native === undefined)(
  "a finished task's result while the next task in its child blocks",
  () => {
    it("arrives while the next task waits for an Event (which the program sets once it has the result)", async () => {
      using shm = native!.SharedMemory.create(4096);
      await using pool = new ProcessPoolExecutor({ maxWorkers: 1 });
      const set = new Event(shm.place(Event));
      set.set();
      expect(await pool.submit(quickOrWaitForEvent, set, 0)).toBe(true);
      await pool.submit(spin, 0);
      for (let round = 0; round < 3; round++) {
        const go = new Event(shm.place(Event));
        void pool.submit(spin, 30); // keeps the child busy while the next two queue up behind it
        const quick = pool.submit(quickOrWaitForEvent, null, round);
        const waiting = pool.submit(quickOrWaitForEvent, go, 0);
        expect(await quick).toBe(round);
        go.set();
        expect(await waiting).toBe(true); // false: it waited the whole 3 s for the Event
      }
    }, 20_000);
  },
);
