import { TaskQueue } from "./task-queue.js";

/**
 * Callers waiting for room in a full executor queue (`run` with whenFull "wait", `ready()`, `map`), first
 * come first served. Waiting, waking and rejecting cost O(1) per waiter however many wait (the waiters
 * live in rings, not in an array shifted from the front).
 */
export class RoomWaiters {
  readonly #resolves = new TaskQueue<() => void>();
  readonly #rejects = new TaskQueue<(reason: unknown) => void>();

  /** How many wait. */
  get size(): number {
    return this.#resolves.length;
  }

  /** A promise that resolves when {@link RoomWaiters.wake} reaches this waiter. */
  wait(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#resolves.push(resolve);
      this.#rejects.push(reject);
    });
  }

  /** Wakes the `room` longest-waiting callers (or all, if fewer wait). */
  wake(room: number): void {
    while (room-- > 0 && this.#resolves.length > 0) {
      this.#rejects.shift();
      this.#resolves.shift()!();
    }
  }

  /** Rejects every waiter with `reason` (shutdown, broken executor). */
  rejectAll(reason: unknown): void {
    while (this.#rejects.length > 0) {
      this.#resolves.shift();
      this.#rejects.shift()!(reason);
    }
  }
}
