// A child holds the results of quick tasks for a moment to send several in one message. If the task it runs
// next blocks on a process-shared primitive, those results must not wait for it: the blocked task may be
// waiting for exactly what their futures let the program do next (here: set the Event). They are sent before
// it blocks; a large one takes the IPC channel many writes over turns of the child's event loop, which the
// blocked task stops, so it must have left before that task starts.
import { ProcessPoolExecutor } from "@weft/process-pool";
import { Event } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { loadNative } from "./helpers.js";

const native = await loadNative();

// One target for the quick result and the blocking call, so that the child has just seen it run quickly
// (a large string is made once per child: returning it again takes microseconds).
const resultOrWaitForEvent = (event: Event | null, chars: number): string | boolean => {
  if (event !== null) return event.waitSync({ timeout: 3000 });
  const g = globalThis as { results?: Map<number, string> };
  g.results ??= new Map();
  let s = g.results.get(chars);
  if (s === undefined) {
    s = "x".repeat(chars);
    g.results.set(chars, s);
  }
  return s;
};
const spin = (ms: number): void => {
  const end = Date.now() + ms;
  while (Date.now() < end) {}
};

describe.skipIf(native === undefined).each([
  { size: "small", chars: 8, sharedSlots: true },
  { size: "small", chars: 8, sharedSlots: false },
  { size: "large", chars: 4_000_000, sharedSlots: true },
  { size: "large", chars: 4_000_000, sharedSlots: false },
])(
  "a $size finished result while the next task in its child blocks, sharedSlots: $sharedSlots",
  ({ chars, sharedSlots }) => {
    it("arrives while the next task waits for an Event (which the program sets once it has the result)", async () => {
      using shm = native!.SharedMemory.create(4096);
      await using pool = new ProcessPoolExecutor({ maxWorkers: 1, sharedSlots });
      expect(await pool.submit(resultOrWaitForEvent, null, chars)).toHaveLength(chars);
      await pool.submit(spin, 0);
      for (let round = 0; round < 3; round++) {
        const go = new Event(shm.place(Event));
        void pool.submit(spin, 30); // keeps the child busy while the next three queue up behind it
        void pool.submit(resultOrWaitForEvent, null, chars); // the target runs quickly twice in a row
        const quick = pool.submit(resultOrWaitForEvent, null, chars);
        const waiting = pool.submit(resultOrWaitForEvent, go, 0);
        expect(await quick).toHaveLength(chars);
        go.set();
        expect(await waiting).toBe(true); // false: it waited the whole 3 s for the Event
      }
    }, 30_000);
  },
);
