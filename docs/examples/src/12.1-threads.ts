// 12.1 Starting and stopping threads
// Python's threading.Thread runs any callable in a separate thread; weft's Thread runs a function in a worker
// thread, truly in parallel (no GIL). The target is a self-contained function (sent to the thread as source)
// or a function exported by a module. start() launches it, isAlive tells whether it still runs, join() waits.
import { Event } from "@weft/sync";
import { Thread } from "@weft/threads";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Code to execute in an independent thread (self-contained: it uses only its arguments and globals).
// The Python original ticks every 0.5 s and checks every 1 s; this tour runs 2.5 times faster.
async function countdown(n: number): Promise<void> {
  while (n > 0) {
    console.log("T-minus", n);
    n -= 1;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// Create and launch a thread
const t = new Thread({ target: countdown, args: [10] });
t.start();

let n = 10;
while (n > 0) {
  n -= 1;
  if (t.isAlive) {
    console.log("Still running");
  } else {
    console.log("Completed");
    n = 0;
  }
  await sleep(400);
}

// join() waits for a thread to end; it resolves to false if a timeout passes first.
const tasks = new URL("./tasks/12.1-countdown.js", import.meta.url);
console.log("\n-- join() with a timeout, then the result --");
const short = new Thread({
  target: { module: tasks, export: "countdown" },
  args: [3, new AbortController().signal],
});
short.start();
console.log(`joined within 100 ms? ${await short.join({ timeout: 100 })}`);
console.log(`joined at last? ${await short.join()} -> result: ${short.result}`);

// Threads cannot be killed: a thread that should stop must check something. Pass an AbortSignal (or an Event
// from @weft/sync); inside the thread it is a real AbortSignal that follows the one here.
console.log("\n-- stopping a thread cooperatively --");
const controller = new AbortController();
const stoppable = new Thread({
  target: { module: tasks, export: "countdown" },
  args: [10, controller.signal],
  name: "stoppable",
}).start();
await sleep(500);
controller.abort("terminate() called");
await stoppable.join();
console.log(`${stoppable.name} ended: ${stoppable.result}`);

// A function that uses a variable from outside cannot be sent as source; the error says what to do.
console.log("\n-- a target must be self-contained --");
const interval = 0.5;
try {
  new Thread({ target: (k: number) => k * interval, args: [2] }).start();
} catch (error) {
  console.log(`${(error as Error).name}: ${(error as Error).message}`);
}

// Daemon threads do not keep the process alive: this one beats forever and is destroyed when the main
// thread's work ends, without a join.
console.log("\n-- a daemon thread --");
const beating = new Event(); // set by the thread after its first beat
const daemon = new Thread({
  target: { module: tasks, export: "heartbeat" },
  args: [150, beating],
  daemon: true,
}).start();
await beating.wait();
await sleep(400);
console.log(`daemon still alive: ${daemon.isAlive}; the main thread ends here and the process exits`);
