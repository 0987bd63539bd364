import { BrokenWorkerError, QueueFullError, ThreadPoolExecutor } from "@weft/pool";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

// Found by the fault soak (`await pool.ready(); pool.submit(...)` under maxQueue while workers die): tasks a
// dead worker had been sent but not started go back to the queue, and they counted against maxQueue again. A
// producer that ready() had just made room for then got QueueFullError from submit() — the idiom the README
// gives for bounded producers threw. Here the room and the requeue come in one turn of the event loop (a done
// callback cancels a queued task while the dead worker's tasks are put back), as they do when a worker's last
// results and its exit are handled together.
describe("room that ready() reported survives a worker's death", () => {
  it("a submit right after ready() does not throw QueueFullError when a death requeues tasks", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, window: 4, maxQueue: 5 });
    await pool.submit(fixture("identity"), 0); // the worker is ready
    // One batch of 4 for the worker (it exits in the first, before it starts the others), 5 queued: full.
    const dying = pool.submit(fixture("exitWith"), 3);
    const posted = [1, 2, 3].map((i) => pool.submit(fixture("identity"), i));
    await pool.ready(); // the four are posted (in the microtask before this one: the worker cannot die yet)
    const queued = [4, 5, 6, 7, 8].map((i) => pool.submit(fixture("identity"), i));
    dying.addDoneCallback(() => queued[0]!.cancel()); // room for one, in the turn the death is handled
    const room = pool.ready();
    await room;
    let late: Promise<unknown> | undefined;
    expect(() => {
      late = pool.submit(fixture("identity"), 9);
    }).not.toThrow(QueueFullError);
    expect(await dying.exception()).toBeInstanceOf(BrokenWorkerError);
    expect(await Promise.all([...posted, ...queued.slice(1), late])).toEqual([1, 2, 3, 5, 6, 7, 8, 9]);
  });

  it("requeued tasks still run, and maxQueue still bounds new submits", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1, window: 4, maxQueue: 3 });
    await pool.submit(fixture("identity"), 0);
    const dying = pool.submit(fixture("exitWith"), 3);
    const rest = [1, 2].map((i) => pool.submit(fixture("identity"), i));
    await pool.ready();
    rest.push(...[3, 4, 5].map((i) => pool.submit(fixture("identity"), i)));
    expect(() => pool.submit(fixture("identity"), 6)).toThrow(QueueFullError);
    expect(await dying.exception()).toBeInstanceOf(BrokenWorkerError);
    expect(await Promise.all(rest)).toEqual([1, 2, 3, 4, 5]);
  });
});
