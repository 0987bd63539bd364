import { isMainThread } from "node:worker_threads";

/** What ending a pool needs of it (the executor's own methods). */
interface Endable {
  readonly stats: { queued: number; inflight: number };
  shutdown(options: { wait: boolean; cancelFutures: boolean }): Promise<void>;
  killWorkers(): Promise<void>;
}

/**
 * Hooks a @weft/threads thread awaits after its target (and its non-daemon threads) and before it exits:
 * a Set of async functions on globalThis, shared by every copy of both packages.
 */
const THREAD_EXIT_HOOKS = Symbol.for("@weft/threads/thread-exit-hooks");

/** Pools of this worker thread not shut down yet. */
const live = new Set<Endable>();
let installed = false;

/**
 * Ends the process pools a worker thread never shut down, before the thread ends. Children forked by a thread
 * can only be reaped by that thread's event loop: once the thread is gone, a child that dies (on IPC
 * disconnect, or by the kernel's parent-death signal) stays a zombie until the whole process exits. So an idle
 * pool is shut down (its children asked to leave), a busy one has its children killed, and the thread waits
 * until they have exited and been reaped. Runs on 'beforeExit' (a thread whose event loop empties) and from
 * @weft/threads' thread-exit hooks (a Thread ends with process.exit() once its target returns).
 */
async function endPools(): Promise<void> {
  const pools = [...live];
  live.clear();
  await Promise.all(
    pools.map((p) => {
      const idle = p.stats.queued === 0 && p.stats.inflight === 0;
      return (idle ? p.shutdown({ wait: true, cancelFutures: true }) : p.killWorkers()).catch(() => {});
    }),
  );
}

/** Records a pool created in a worker thread (nothing in the main thread, whose children init reaps). */
export function trackInThread(pool: Endable): void {
  if (isMainThread) return;
  if (!installed) {
    installed = true;
    process.on("beforeExit", () => {
      if (live.size > 0) void endPools();
    });
    const g = globalThis as { [THREAD_EXIT_HOOKS]?: Set<() => Promise<void>> };
    const hooks = g[THREAD_EXIT_HOOKS] ?? new Set();
    g[THREAD_EXIT_HOOKS] = hooks;
    hooks.add(endPools);
  }
  live.add(pool);
}

/** The pool was shut down by its user: the thread need not end it. */
export function untrack(pool: Endable): void {
  live.delete(pool);
}
