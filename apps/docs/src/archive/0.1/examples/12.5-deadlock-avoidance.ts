// 12.5 Locking with deadlock avoidance
// Deadlock comes from threads taking several locks in different orders. Python's recipe sorts the locks by
// id() and refuses to take a lower one while holding a higher one. weft's acquireAll/acquireAllSync do the
// same with an id stored in each lock's shared memory, so the order is the same in every thread (object
// identity differs per thread). The Python program loops forever; here each thread does a fixed number of
// rounds and the program shows that both finish.
import { acquireAllSync, Lock, LockOrderError, withLocks } from "@weft/sync";
import { Thread } from "@weft/threads";

const xLock = new Lock();
const yLock = new Lock();

// 1. Two threads, opposite orders.
const rounds = 100_000;
const task = new URL("./tasks/12.5-ordered.js", import.meta.url);
const t1 = new Thread({ target: { module: task, export: "thread1" }, args: [xLock, yLock, rounds, 3] });
const t2 = new Thread({ target: { module: task, export: "thread2" }, args: [xLock, yLock, rounds, 3] });
t1.start();
t2.start();
await t1.join();
await t2.join();
console.log(`thread_1 and thread_2 each took both locks ${t1.result} times: no deadlock`);

// 2. The order rule: taking a lower-ordered lock while holding a higher one is refused up front.
{
  using _ = acquireAllSync(yLock);
  try {
    acquireAllSync(xLock);
  } catch (e) {
    if (!(e instanceof LockOrderError)) throw e;
    console.log(`${e.name}: ${e.message.split(".")[0]}`);
  }
}

// 3. The same in one event loop: async tasks that await while holding both locks.
let done = 0;
async function worker(name: string, first: Lock, second: Lock): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    await withLocks([first, second], async () => {
      await Promise.resolve();
      done++;
    });
  }
  console.log(`${name} finished`);
}
await Promise.all([worker("task_1", xLock, yLock), worker("task_2", yLock, xLock)]);
console.log(`async tasks: ${done} rounds, locks free: ${!xLock.locked() && !yLock.locked()}`);
