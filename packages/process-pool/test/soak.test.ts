import { BrokenProcessError, type Future, ProcessPoolExecutor } from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { fixture, nativeAvailable } from "./helpers.js";

const native = nativeAvailable;

describe.each([
  { sharedSlots: true, skip: !native },
  { sharedSlots: false, skip: false },
])("soak, sharedSlots: $sharedSlots", ({ sharedSlots, skip }) => {
  it.skipIf(skip)(
    "random kills among 5k tasks: every task is accounted for",
    async () => {
      const window = 16;
      await using ex = new ProcessPoolExecutor({ maxWorkers: 2, window, sharedSlots });
      const n = 5000;
      let seed = 20260;
      const rand = () => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed / 0x7fffffff;
      };
      const crashes = new Set<number>();
      const futures: Future<number>[] = [];
      const task = fixture<(x: number, crash: boolean) => number>("maybeCrash");
      for (let i = 0; i < n; i++) {
        const crash = rand() < 0.002;
        if (crash) crashes.add(i);
        futures.push(ex.submit(task, i, crash));
      }
      const settled = await Promise.allSettled(futures);
      let ok = 0;
      let broken = 0;
      for (let i = 0; i < n; i++) {
        const s = settled[i]!;
        if (s.status === "fulfilled") {
          expect(s.value).toBe(i * 2);
          expect(crashes.has(i)).toBe(false);
          ok++;
        } else {
          expect(s.reason).toBeInstanceOf(BrokenProcessError);
          expect((s.reason as BrokenProcessError).signal).toBe("SIGKILL");
          broken++;
        }
      }
      expect(crashes.size).toBeGreaterThan(3);
      expect(ok + broken).toBe(n);
      for (const i of crashes) expect(settled[i]!.status).toBe("rejected");
      if (sharedSlots) {
        // the child marks each task it starts in the shared slots: unstarted tasks are retried, so a crash
        // fails only the running task and those that finished but whose results had not been sent yet
        // (results go out at least every half window)
        expect(broken).toBeLessThanOrEqual(crashes.size * (window / 2 + 1));
      } else {
        // a crash fails the tasks sent to that child and not reported: at most its window
        expect(broken).toBeLessThanOrEqual(crashes.size * window);
        expect(ok).toBeGreaterThanOrEqual(n - crashes.size * window);
      }
      expect(await ex.submit(fixture("add"), 1, 1)).toBe(2);
    },
    60_000,
  );
});
