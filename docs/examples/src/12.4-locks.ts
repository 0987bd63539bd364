// 12.4 Locking critical sections
// Python guards a shared counter with `with self._value_lock:`. In weft the same Lock works between async
// tasks of one event loop (`await lock.acquire()` with `using`) and between worker threads
// (`lock.acquireSync()`), because its state lives in shared memory. RLock and Semaphore follow.
import { AbandonedLockError, Barrier, type Guard, Lock, RLock, Semaphore } from "@weft/sync";
import { Thread } from "@weft/threads";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class SharedCounter {
  /** A counter object that can be shared by multiple tasks. */
  value: number;
  readonly #valueLock = new Lock();
  constructor(initialValue = 0) {
    this.value = initialValue;
  }

  /** Increment the counter with locking (the `with` statement becomes `await using`). */
  async incr(delta = 1): Promise<void> {
    await using _ = (await this.#valueLock.acquire()) as Guard;
    const v = this.value;
    await Promise.resolve(); // something asynchronous inside the critical section
    this.value = v + delta;
  }

  /** The clumsy way: explicit acquire and release (release in finally, or an exception leaks the lock). */
  async incrExplicit(delta = 1): Promise<void> {
    await this.#valueLock.acquire();
    try {
      const v = this.value;
      await Promise.resolve();
      this.value = v + delta;
    } finally {
      this.#valueLock.release();
    }
  }

  /** No lock: concurrent tasks read the same value and overwrite each other's updates. */
  async incrUnlocked(delta = 1): Promise<void> {
    const v = this.value;
    await Promise.resolve();
    this.value = v + delta;
  }
}

// 1. Async tasks in one event loop.
const tasks = 50;
const each = 20;
for (const method of ["incr", "incrExplicit", "incrUnlocked"] as const) {
  const counter = new SharedCounter();
  await Promise.all(
    Array.from({ length: tasks }, async () => {
      for (let i = 0; i < each; i++) await counter[method]();
    }),
  );
  console.log(`${tasks} tasks x ${each} ${method}(): value = ${counter.value} (expected ${tasks * each})`);
}

// 2. Worker threads: the Lock passed as an argument is the same lock in every thread.
const lock = new Lock();
const cells = new Int32Array(new SharedArrayBuffer(4));
const task = new URL("./tasks/12.4-counter.js", import.meta.url);
const n = 100_000;
const threads = Array.from(
  { length: 4 },
  () => new Thread({ target: { module: task, export: "incrementMany" }, args: [lock, cells, n] }),
);
for (const t of threads) t.start();
for (const t of threads) await t.join();
console.log(`4 threads x ${n} locked increments: ${cells[0]} (expected ${4 * n})`);

const racy = new Int32Array(new SharedArrayBuffer(4));
const start = new Barrier(4);
const unlocked = Array.from(
  { length: 4 },
  () => new Thread({ target: { module: task, export: "incrementManyUnlocked" }, args: [racy, n, start] }),
);
for (const t of unlocked) t.start();
for (const t of unlocked) await t.join();
const lost = 4 * n - racy[0]!;
// (One line whatever the outcome: how many are lost depends on how much the threads overlapped this run.)
console.log(
  `4 threads x ${n} unlocked increments: ${racy[0]} (${lost} updates lost; without the lock, updates are lost ` +
    "whenever the threads overlap)",
);

// 3. RLock: decr() holds the lock and calls incr(), which acquires it again from the same thread.
class ReentrantCounter {
  static readonly lock = new RLock();
  constructor(public value: number) {}
  incr(delta = 1): void {
    using _ = ReentrantCounter.lock.acquireSync() as Guard;
    this.value += delta;
  }
  decr(delta = 1): void {
    using _ = ReentrantCounter.lock.acquireSync() as Guard;
    this.incr(-delta);
  }
}
const rc = new ReentrantCounter(10);
rc.decr(3);
console.log(`RLock counter after decr(3): ${rc.value}; lock free again: ${!ReentrantCounter.lock.locked()}`);

// 4. Semaphore: at most five fetches at once.
const fetchUrlSema = new Semaphore(5);
let running = 0;
let peak = 0;
async function fetchUrl(url: string): Promise<string> {
  await using _ = (await fetchUrlSema.acquire()) as Guard;
  running++;
  peak = Math.max(peak, running);
  await sleep(20); // stands in for the network
  running--;
  return `<html of ${url}>`;
}
const pages = await Promise.all(Array.from({ length: 12 }, (_, i) => fetchUrl(`http://example.com/${i}`)));
console.log(`fetched ${pages.length} pages, at most ${peak} at once`);

// 5. A holder that dies: a thread moves 30 from account a to b under the lock, but ends (process.exit
// stands in for a crash or a kill) after the debit and before the credit. Python would leave the lock held
// for ever; weft hands it to the next acquirer, which is told and repairs the half-done transfer.
const accountsLock = new Lock();
const accounts = new Int32Array(new SharedArrayBuffer(8)); // a, b
accounts[0] = 100;
const transfer = new Thread({
  target: (l: Lock, acc: Int32Array) => {
    l.acquireSync();
    acc[0] = acc[0]! - 30; // debit a ...
    process.exit(1); // ... and die before crediting b
  },
  args: [accountsLock, accounts],
}).start();
await transfer.join();
let held: Guard;
try {
  held = (await accountsLock.acquire()) as Guard;
} catch (e) {
  if (!(e instanceof AbandonedLockError)) throw e;
  console.log(`the lock's holder died: a=${accounts[0]} b=${accounts[1]} (30 missing); repairing`);
  accounts[1] = 100 - accounts[0]!; // finish the transfer (a real repair might roll it back instead)
  held = e.guard as Guard;
}
{
  using _ = held;
  console.log(`after repair: a=${accounts[0]} b=${accounts[1]} (total ${accounts[0]! + accounts[1]!})`);
}
console.log(`lock free again: ${!accountsLock.locked()}`);
