import {
  isStopState,
  nextSlot,
  SLOT_DONE,
  SLOT_PENDING,
  SLOT_RUNNING,
  SLOT_WITHDRAWN,
  slotAfter,
  stopState,
} from "./message-codec.js";
import type { Task } from "./task.js";

/**
 * One worker's in-flight window: the ring of slots its posted tasks occupy, in the order it runs them,
 * and (with shared memory) the slot states and start times it shares with the worker. The core posts
 * ahead into free slots so a worker never waits for a round trip between tasks; a slot is freed when its
 * result arrives. Slots from `head` to `tail` (`length` of them) may hold freed holes not yet passed by
 * `head`; `count` is the number occupied.
 */
export class SlotWindow {
  readonly tasks: (Task | null)[];
  /** Slots in the ring (the `window` setting). */
  readonly size: number;
  head = 0;
  tail = 0;
  /** Slots from head to tail, including freed holes not yet passed by head. */
  length = 0;
  /** Occupied slots. */
  count = 0;
  /** Slot states shared with the worker (see message-codec.ts), or null without shared memory. */
  readonly states: Int32Array | null;
  /** Start times written by the worker (clock() ms), with shared memory. */
  readonly starts: Float64Array | null;

  constructor(size: number, states: Int32Array | null, starts: Float64Array | null) {
    this.size = size;
    this.tasks = new Array<Task | null>(size).fill(null);
    this.states = states;
    this.starts = starts;
  }

  /** The slot `k` places after head. */
  slotAt(k: number): number {
    return slotAfter(this.head, k, this.size);
  }

  /** Puts `task` in the next slot (marked PENDING) and returns the slot. */
  place(task: Task): number {
    const slot = this.tail;
    this.tail = nextSlot(slot, this.size);
    this.length++;
    this.count++;
    this.tasks[slot] = task;
    if (this.states !== null) Atomics.store(this.states, slot, SLOT_PENDING);
    return slot;
  }

  /** Empties a slot without moving head (call {@link SlotWindow.trim} after). */
  take(slot: number): void {
    this.tasks[slot] = null;
    this.count--;
  }

  /** Empties a slot and moves head past the holes. */
  free(slot: number): void {
    this.take(slot);
    this.trim();
  }

  /** Moves head past freed slots. */
  trim(): void {
    const tasks = this.tasks;
    while (this.length > 0 && tasks[this.head] === null) {
      this.head = nextSlot(this.head, this.size);
      this.length--;
    }
  }

  /** Forgets every slot (their tasks were dealt with by the caller). */
  empty(): void {
    const tasks = this.tasks;
    for (let k = 0; k < this.length; k++) tasks[this.slotAt(k)] = null;
    this.count = this.length = 0;
  }

  /** Wins a slot whose task has not started (PENDING -> WITHDRAWN): the worker then skips it. */
  withdraw(slot: number): boolean {
    return Atomics.compareExchange(this.states!, slot, SLOT_PENDING, SLOT_WITHDRAWN) === SLOT_PENDING;
  }

  /** True when the worker says the slot's task runs, asked to stop or not (shared memory only). */
  isRunning(slot: number): boolean {
    const state = Atomics.load(this.states!, slot);
    return state === SLOT_RUNNING || isStopState(state);
  }

  /**
   * True when the worker says the slot's task started: it runs (asked to stop or not) or finished; false
   * without shared memory.
   */
  hasStarted(slot: number): boolean {
    if (this.states === null) return false;
    const state = Atomics.load(this.states, slot);
    return state !== SLOT_PENDING && state !== SLOT_WITHDRAWN;
  }

  /**
   * Tells the slot's running task, through shared memory, that it is asked to stop with an error named
   * `name` (RUNNING -> SLOT_STOP_*): nothing when the task is not running or without shared memory.
   */
  requestStop(slot: number, name: string): void {
    if (this.states !== null) Atomics.compareExchange(this.states, slot, SLOT_RUNNING, stopState(name));
  }

  /** True when the worker says the slot's task finished (its result is on its way); false without states. */
  isDone(slot: number): boolean {
    return this.states !== null && Atomics.load(this.states, slot) === SLOT_DONE;
  }
}
