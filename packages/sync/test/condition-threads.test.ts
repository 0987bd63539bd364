import { Condition, type Guard, Lock, marshal, RLock } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { runWorker } from "./helpers.js";

describe("Condition across threads", () => {
  for (const [name, make] of [
    ["Lock", () => new Lock()],
    ["RLock", () => new RLock()],
  ] as const) {
    it(`ping-pongs turns between the main loop (await) and a worker (blocking) over a ${name}`, async () => {
      const cond = new Condition(make());
      const turn = new Int32Array(new SharedArrayBuffer(4));
      const rounds = 500;
      const worker = runWorker("condition-pingpong.mjs", marshal.encode({ cond, turn, rounds }));
      for (let r = 0; r < rounds; r++) {
        await using _ = (await cond.acquire()) as Guard;
        const ok = await cond.waitFor(() => turn[0]! % 2 === 1, { timeout: 10_000 });
        expect(ok).toBe(true);
        turn[0]! += 1;
        cond.notifyAll();
      }
      await worker;
      expect(turn[0]).toBe(2 * rounds);
      expect(cond.lock.locked()).toBe(false);
    });
  }
});
