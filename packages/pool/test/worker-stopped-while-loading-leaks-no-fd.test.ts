// On Node 20, terminating a worker thread while it is opening a module file (its entry, a module the entry
// imports, the initializer's module) leaks that file's descriptor: the open completes after the worker is gone
// and nobody closes it. A pool that stops a starting worker waits until it has reported in (or a bound). The
// module here is a FIFO, so the worker is held inside open() until the test writes it: the old code stopped
// the worker right there, and the descriptor stayed open in this process.
import { execFileSync } from "node:child_process";
import {
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BrokenExecutorError, CancelledError, moduleTask, ThreadPoolExecutor } from "@weft/pool";
import { Event } from "@weft/sync";
import { afterAll, describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "weft-loading-fifo-"));
let made = 0;

/** A module file that is a FIFO: a worker that imports it blocks in open() until release() writes it. */
function loadingModule(): { url: URL; path: string; release(): void } {
  const path = join(dir, `module-${made++}.mjs`);
  execFileSync("mkfifo", [path]);
  let released = false;
  return {
    url: pathToFileURL(path),
    path,
    release() {
      if (released) return;
      released = true;
      try {
        // Succeeds only while a reader is blocked in open(), which it then lets through.
        const fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
        writeSync(fd, "export function init() {}\nexport function task() { return 7; }\n");
        closeSync(fd);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENXIO") throw err;
      }
      unlinkSync(path); // a later import fails instead of blocking
    },
  };
}

/** Resolves once some thread of this process is blocked opening a FIFO (the worker loading the module). */
async function blockedInOpen(): Promise<void> {
  const end = Date.now() + 8000;
  for (;;) {
    for (const t of readdirSync("/proc/self/task")) {
      try {
        if (readFileSync(`/proc/self/task/${t}/wchan`, "utf8") === "wait_for_partner") return;
      } catch {
        // the thread ended
      }
    }
    if (Date.now() > end) throw new Error("no thread blocked opening the FIFO module");
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Time for a terminate() to reach the worker before its open() is let through (so that it would leak then;
 * a pool that waits for the worker to report in is not affected by how long this is).
 */
function settle(): Promise<void> {
  return new Promise((r) => setTimeout(r, 100));
}

function openDescriptors(path: string): number {
  let n = 0;
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target === path || target === `${path} (deleted)`) n++;
    } catch {
      // closed meanwhile (the directory's own descriptor)
    }
  }
  return n;
}

/**
 * Once a worker is blocked opening `loading`, calls `stop`, gives it time to reach the worker, then lets the
 * open through; resolves when the stop has.
 */
async function stopWhileOpening(loading: { release(): void }, stop: () => Promise<void>): Promise<void> {
  try {
    await blockedInOpen();
    const stopped = stop();
    await settle();
    loading.release();
    await stopped;
  } finally {
    loading.release();
  }
}

/** After shutdown({ wait: false }), whose promise resolves at once: resolves once the workers have exited. */
async function afterNoWait(pool: ThreadPoolExecutor, shutdown: Promise<void>): Promise<void> {
  await shutdown;
  await pool.shutdown();
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(process.platform !== "linux")("a worker stopped while it loads a module", () => {
  // How the pool is stopped, and whether a task waits meanwhile (its future must still settle as before).
  const stops: [string, (pool: ThreadPoolExecutor) => Promise<void>, boolean][] = [
    ["terminateWorkers()", (pool) => pool.terminateWorkers(), true],
    ["killWorkers()", (pool) => pool.killWorkers(), true],
    ["shutdown()", (pool) => pool.shutdown(), false],
    ["shutdown({ wait: false })", (pool) => afterNoWait(pool, pool.shutdown({ wait: false })), false],
    [
      "shutdown({ wait: false, cancelFutures: true })",
      (pool) => afterNoWait(pool, pool.shutdown({ wait: false, cancelFutures: true })),
      false,
    ],
  ];

  it.each(stops)("by %s leaves no descriptor open", async (_, stop, withTask) => {
    const loading = loadingModule();
    const pool = new ThreadPoolExecutor({ minWorkers: 1, initializer: moduleTask(loading.url, "init") });
    const queued = withTask ? pool.submit(fixture("add"), 1, 2) : undefined;
    await stopWhileOpening(loading, () => stop(pool));
    if (queued !== undefined) await expect(queued).rejects.toBeInstanceOf(CancelledError);
    expect(openDescriptors(loading.path)).toBe(0);
  });

  it("by a failed initializer in another worker leaves no descriptor open", async () => {
    const loading = loadingModule();
    const go = new Event();
    const pool = new ThreadPoolExecutor({
      minWorkers: 2,
      maxWorkers: 2,
      initializer: moduleTask(
        new URL("./fixtures/fail-first-worker.mjs", import.meta.url),
        "failFirstWorker",
      ),
      initArgs: [loading.url.href, go],
    });
    const queued = pool.submit(fixture("add"), 1, 2);
    try {
      await blockedInOpen();
      go.set();
      await expect(queued).rejects.toBeInstanceOf(BrokenExecutorError);
      await settle();
      loading.release();
      await pool.shutdown();
    } finally {
      loading.release();
    }
    expect(openDescriptors(loading.path)).toBe(0);
  });

  it("that does not finish loading is still stopped", async () => {
    const pool = new ThreadPoolExecutor({
      minWorkers: 1,
      initializer: moduleTask(new URL("./fixtures/loads-for-a-minute.mjs", import.meta.url), "init"),
    });
    const queued = pool.submit(fixture("add"), 1, 2);
    await new Promise((r) => setTimeout(r, 100));
    await pool.terminateWorkers(); // resolves although the worker is still loading its initializer's module
    await expect(queued).rejects.toBeInstanceOf(CancelledError);
    expect(pool.stats.workers).toBe(0);
  });
});

// After its start-up report a worker still loads modules: a task's module when its first task arrives, and
// @weft/sync or @weft/local-storage on first need. Stopping it during one of those leaked the same way.
describe.skipIf(process.platform !== "linux")("a ready worker stopped while it loads a task's module", () => {
  const stops: [string, (pool: ThreadPoolExecutor) => Promise<void>][] = [
    ["terminateWorkers()", (pool) => pool.terminateWorkers()],
    ["killWorkers()", (pool) => pool.killWorkers()],
  ];

  it.each(stops)("by %s leaves no descriptor open", async (_, stop) => {
    const loading = loadingModule();
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    expect(await pool.submit(fixture("add"), 1, 2)).toBe(3); // the worker is ready
    const queued = pool.submit(moduleTask(loading.url, "task"));
    await stopWhileOpening(loading, () => stop(pool));
    // Not started (a task is claimed once its module has loaded): cancelled, as terminateWorkers() says.
    await expect(queued).rejects.toBeInstanceOf(CancelledError);
    expect(openDescriptors(loading.path)).toBe(0);
  });

  it("that does not finish loading is still stopped", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    expect(await pool.submit(fixture("add"), 1, 2)).toBe(3);
    const queued = pool.submit(
      moduleTask(new URL("./fixtures/loads-for-a-minute.mjs", import.meta.url), "init"),
    );
    await new Promise((r) => setTimeout(r, 100));
    await pool.killWorkers(); // resolves although the worker is still loading the task's module
    await expect(queued).rejects.toBeInstanceOf(CancelledError);
    expect(pool.stats.workers).toBe(0);
  });
});
