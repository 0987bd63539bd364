import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { asCompleted, Future, ThreadPoolExecutor, TimeoutError } from "@weft/pool";
import { describe, expect, it } from "vitest";

// CPython bpo-14406 / bpo-27144: as_completed must not keep the futures it has yielded, and map's iterator
// must not keep the result it last yielded (until the next next()), so iterating N items never retains them.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** True once `ref`'s target has been collected (a WeakRef target lives at least until the current job ends). */
async function collected(ref: WeakRef<object>): Promise<boolean> {
  for (let i = 0; i < 10; i++) {
    await new Promise((r) => setImmediate(r));
    gc();
    if (ref.deref() === undefined) return true;
  }
  return false;
}

/** Calls `it.next()` and returns only a WeakRef to the value, so this frame keeps nothing. */
async function nextRef(it: AsyncIterator<object>): Promise<WeakRef<object> | undefined> {
  const step = await it.next();
  return step.done ? undefined : new WeakRef(step.value);
}

/** Eight pending futures, a cancelled one and a finished one (as CPython's test). */
function makeFutures(): Future<object>[] {
  const futures: Future<object>[] = Array.from({ length: 8 }, () => new Future<object>());
  const cancelled = new Future<object>();
  cancelled.cancel();
  const finished = new Future<object>();
  finished.setResult({ n: 42 });
  futures.push(cancelled, finished);
  return futures;
}

describe("no retention", () => {
  it("asCompleted does not keep a future it has yielded", async () => {
    // Built in a helper, so that no local variable of this test holds one of them.
    const futures = makeFutures();

    // As in CPython's test: the already-done ones, then a TimeoutError.
    let it: AsyncIterator<object> = asCompleted(futures, { timeout: 0 });
    for (let k = 0; k < 2; k++) {
      const ref = await nextRef(it);
      expect(ref).toBeDefined();
      futures.splice(futures.indexOf(ref!.deref() as Future<object>), 1);
      expect(await collected(ref!)).toBe(true);
    }
    await expect(it.next()).rejects.toBeInstanceOf(TimeoutError);

    futures[0]!.setResult({ n: 0 });
    it = asCompleted(futures);
    for (;;) {
      const ref = await nextRef(it);
      if (ref === undefined) break;
      futures.splice(futures.indexOf(ref.deref() as Future<object>), 1);
      expect(await collected(ref)).toBe(true);
      futures[0]?.setResult({ n: futures.length });
    }
    expect(futures).toEqual([]);
  });

  for (const chunksize of [1, 3]) {
    it(`map does not keep the result it last yielded (chunksize ${chunksize})`, async () => {
      await using pool = new ThreadPoolExecutor({ maxWorkers: 2 });
      const it = pool.mapWith(
        { chunksize },
        (i: number) => ({ i, payload: new Array(100).fill(i) }),
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      );
      let n = 0;
      for (;;) {
        const ref = await nextRef(it);
        if (ref === undefined) break;
        expect((ref.deref() as { i: number }).i).toBe(n++);
        expect(await collected(ref)).toBe(true);
      }
      expect(n).toBe(10);
    });
  }
});
