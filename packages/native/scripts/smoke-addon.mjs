// Exercises every part of the addon a prebuild links from the system (threads, futex, exceptions through
// the statically linked libstdc++, the statx/getrandom replacements) on whatever Node runs it, e.g. an arm64
// Node under qemu-user or Node 22/24: `node scripts/smoke-addon.mjs` after `pnpm build`. Prints one line
// per check and exits non-zero on the first failure.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Worker } from "node:worker_threads";

const native = await import("@weft/native");
const { Event, Lock, marshal } = await import("@weft/sync");
const ok = (what) => console.log(`ok ${process.arch} node ${process.version}: ${what}`);

const shm = native.SharedMemory.create(4096);
assert.equal(shm.byteLength, 4096);
const again = native.SharedMemory.attach(shm.name);
assert.equal(again.byteLength, 4096);
ok("shared memory create/attach (open + statx)");

let error;
try {
  native.SharedMemory.attach(`weft-missing-${process.pid}`);
} catch (e) {
  error = e;
}
assert.ok(error instanceof native.SharedMemoryError, String(error));
assert.equal(error.errno, "ENOENT");
ok("a C++ exception becomes SharedMemoryError (unwinding through the static libstdc++)");

const data = new Uint8Array(1 << 16).map((_, i) => i & 0xff);
const digest = Buffer.from(await native.sha256(data)).toString("hex");
assert.equal(digest, createHash("sha256").update(data).digest("hex"));
ok("sha256 on libuv's pool");

const lock = new Lock(shm.place(Lock));
const event = new Event(shm.place(Event));
lock.acquireSync();
const worker = new Worker(
  `const { workerData, parentPort } = require("node:worker_threads");
   import(workerData.native).then(async () => {
     const { marshal } = await import(workerData.sync);
     const lock = marshal.decode(workerData.lock);
     const event = marshal.decode(workerData.event);
     event.set();
     lock.acquireSync();
     lock.release();
     parentPort.postMessage("done");
   });`,
  {
    eval: true,
    workerData: {
      native: import.meta.resolve("@weft/native"),
      sync: import.meta.resolve("@weft/sync"),
      lock: marshal.encode(lock),
      event: marshal.encode(event),
    },
  },
);
assert.equal(await event.wait({ timeout: 60_000 }), true); // an async futex wait: a thread of its own
lock.release();
const [message] = await Promise.race([
  new Promise((resolve) => worker.once("message", (m) => resolve([m]))),
  new Promise((_, reject) => worker.once("error", reject)),
]);
assert.equal(message, "done");
await worker.terminate();
ok("futex wait/wake and waitAsync across threads on a shared segment");
shm.close();
