import { Worker } from "node:worker_threads";
import { SharedMemory } from "@weft/native";
import { Lock, marshal } from "@weft/sync";
import { describe, expect, it } from "vitest";

// A holder of process-shared memory is recorded with its process's start stamp. Every thread of a process
// must record the same one: under qemu-user, /proc/self/stat gives each thread its own start time, and a
// worker that read a different one took the main thread, holding a lock, for a dead previous process with the
// same pid (AbandonedLockError in the arm64 smoke test). Here the worker's /proc read is made to differ.
describe("the process start stamp is one per process", () => {
  it("a worker whose own /proc read differs still sees the main thread as alive", async () => {
    using shm = SharedMemory.create(4096);
    const lock = new Lock(shm.place(Lock));
    lock.acquireSync();
    const worker = new Worker(
      `const fs = require("node:fs");
       const { syncBuiltinESMExports } = require("node:module");
       const { parentPort, workerData } = require("node:worker_threads");
       const read = fs.readFileSync;
       fs.readFileSync = function (path, ...rest) {
         const text = read.call(this, path, ...rest);
         if (path !== "/proc/self/stat") return text;
         const head = text.slice(0, text.lastIndexOf(")") + 2);
         const fields = text.slice(head.length).split(" ");
         fields[19] = String(Number(fields[19]) + 777); // another start time, as qemu-user reports per thread
         return head + fields.join(" ");
       };
       syncBuiltinESMExports();
       (async () => {
         await import(workerData.native);
         const { marshal } = await import(workerData.sync);
         const lock = marshal.decode(workerData.lock);
         parentPort.postMessage("waiting");
         try {
           lock.acquireSync({ timeout: 10000 });
           lock.release();
           parentPort.postMessage("acquired after the release");
         } catch (e) {
           parentPort.postMessage(String(e.name));
         }
       })();`,
      {
        eval: true,
        workerData: {
          native: import.meta.resolve("@weft/native"),
          sync: import.meta.resolve("@weft/sync"),
          lock: marshal.encode(lock),
        },
      },
    );
    try {
      const messages: string[] = [];
      const done = new Promise<void>((resolve, reject) => {
        worker.on("message", (m: string) => {
          messages.push(m);
          if (m === "waiting") setTimeout(() => lock.release(), 200);
          else resolve();
        });
        worker.once("error", reject);
      });
      await done;
      expect(messages).toEqual(["waiting", "acquired after the release"]);
    } finally {
      await worker.terminate();
    }
  });
});
