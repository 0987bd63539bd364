import type { CoreState } from "./core-state.js";
import type { Task } from "./task.js";
import type { WorkerState } from "./worker-state.js";

/**
 * Balancing of tasks of unequal length: a worker that ran dry while another still holds posted tasks that
 * have not started takes some of them over. Needs shared slot memory (the core must win a task's slot
 * before the worker that holds it starts it).
 */
export class Balancer {
  readonly #s: CoreState;
  readonly #taken: Task[] = [];

  constructor(state: CoreState) {
    this.#s = state;
  }

  /**
   * `idle` ran dry: take back the later half of the busiest worker's unstarted tasks (PENDING -> WITHDRAWN,
   * so that worker skips them) and queue them again at the front; the dispatch that follows gives them to
   * the idle worker. Stops at a task with a transfer list (its buffers are already on their way to the busy
   * worker) and at the first task that started.
   */
  rebalance(idle: WorkerState): void {
    const s = this.#s;
    if (s.isShutdown && s.terminating) return;
    let busiest: WorkerState | undefined;
    for (const w of s.workers) {
      const count = w.window.count;
      if (
        w !== idle &&
        w.window.states !== null &&
        count > 1 &&
        (busiest === undefined || count > busiest.window.count)
      ) {
        busiest = w;
      }
    }
    if (busiest === undefined) return;
    const window = busiest.window;
    let want = window.count >> 1;
    const taken = this.#taken;
    for (let k = window.length - 1; k >= 0 && want > 0; k--) {
      const slot = window.slotAt(k);
      const t = window.tasks[slot];
      if (t == null || !t.postedTo(busiest)) continue;
      if (t.transfer !== undefined) break;
      if (!window.withdraw(slot)) break;
      taken.push(t);
      want--;
    }
    if (taken.length === 0) return;
    // taken is newest first: unshifting in this order leaves the oldest at the front.
    for (let i = 0; i < taken.length; i++) s.requeueFirst(taken[i]!);
    taken.length = 0;
    s.scheduler.dispatch();
  }
}
