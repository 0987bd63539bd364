// The app that every bundler bundles: a Thread, the thread pool, the process pool (inline functions and a module
// task each, and object arguments, which go through the pools' marshal walk), and a Lock shared with a thread and
// with the thread pool. It prints one JSON line with what each part returned. WEFT_CHILD_NODE, when set, is the
// Node binary of the process pool's children (a single executable application needs one).
import { moduleTask, ThreadPoolExecutor } from "@weft/pool";
import { ProcessPoolExecutor } from "@weft/process-pool";
import { Lock } from "@weft/sync";
import { Thread } from "@weft/threads";

const work = moduleTask(new URL("./work.js", import.meta.url), "digest");

async function main() {
  const lock = new Lock();
  const thread = new Thread({
    target: (l, n) => {
      const guard = l.acquireSync();
      guard.release();
      return n * 2;
    },
    args: [lock, 21],
  }).start();
  await thread.join();

  const threads = new ThreadPoolExecutor({ maxWorkers: 2 });
  const threadPool = [
    await threads.submit((a, b) => a + b, 2, 3),
    await threads.submit(work, "thread"),
    await threads.submit((o) => o.lock.tryAcquire() !== false && o.list.length, {
      lock: new Lock(),
      list: [1, 2],
    }),
    // A class in an inline function: esbuild --keep-names names it in a static block.
    await threads.submit((n) => {
      class Box {
        #value;
        constructor(value) {
          this.#value = value;
        }
        get value() {
          return this.#value;
        }
      }
      return new Box(n).value;
    }, 4),
  ];
  await threads.shutdown();

  const childNode = process.env.WEFT_CHILD_NODE;
  const processes = new ProcessPoolExecutor({ maxWorkers: 1, ...(childNode ? { execPath: childNode } : {}) });
  const processPool = [
    await processes.submit((n) => n * n, 7),
    await processes.submit(work, "process"),
    await processes.submit((o) => o.list.length, { list: [1, 2, 3] }),
  ];
  await processes.shutdown();

  console.log(JSON.stringify({ thread: thread.result, threadPool, processPool }));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
