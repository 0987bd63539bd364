// 12.3 Signalling a repeating event with a Condition
// Recipe 12.2 ends with advice: an Event is best used once; for a signal that repeats, use a Condition.
// The Python original builds a PeriodicTimer whose thread calls notify_all() on every tick while other
// threads wait_for_tick(). Here the timer is the main event loop (setInterval), the waiting threads are
// worker threads waiting in Condition.waitFor, and the tick count is shared memory they all read.
import { Condition, type Guard, Lock } from "@weft/sync";
import { Thread } from "@weft/threads";

const intervalMs = 100;
const cond = new Condition(new Lock());
const ticks = new Int32Array(new SharedArrayBuffer(4));

// The periodic timer: bump the shared tick count under the lock, then wake every waiting thread.
const timer = setInterval(async () => {
  const held = (await cond.acquire()) as Guard;
  try {
    ticks[0] = ticks[0]! + 1;
    cond.notifyAll();
  } finally {
    held.release();
  }
}, intervalMs);

const tasks = new URL("./tasks/12.3-periodic.js", import.meta.url);
const down = new Thread({ target: { module: tasks, export: "countdown" }, args: [5, cond, ticks] });
const up = new Thread({ target: { module: tasks, export: "countup" }, args: [5, cond, ticks] });
down.start();
up.start();

await Promise.all([down.join(), up.join()]);
clearInterval(timer);
console.log(`both threads saw every tick they waited for; ${ticks[0]} ticks were sent`);
