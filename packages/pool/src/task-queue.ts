const INITIAL = 16;
/** Capacity (minus one) above which an emptied queue shrinks back to INITIAL. */
const SHRINK_ABOVE = 4096;

/**
 * A FIFO of tasks in a ring whose capacity is a power of two: push at the back, take from the front, put
 * back at the front (for tasks taken back from a dead worker). No allocation and no runtime call per
 * operation once it has grown: a queue that keeps emptying (one task submitted, taken, submitted again)
 * reuses the same slots instead of truncating and regrowing an array. After a burst (more than 4,096
 * tasks waiting at once) it shrinks back once empty.
 */
export class TaskQueue<T> {
  #items: (T | undefined)[] = new Array(INITIAL).fill(undefined);
  #mask = INITIAL - 1;
  #head = 0;
  #size = 0;

  get length(): number {
    return this.#size;
  }

  push(item: T): void {
    if (this.#size > this.#mask) this.#grow();
    this.#items[(this.#head + this.#size) & this.#mask] = item;
    this.#size++;
  }

  /** Puts an item back at the front. */
  unshift(item: T): void {
    if (this.#size > this.#mask) this.#grow();
    this.#head = (this.#head - 1) & this.#mask;
    this.#items[this.#head] = item;
    this.#size++;
  }

  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const head = this.#head;
    const item = this.#items[head];
    this.#items[head] = undefined;
    this.#head = (head + 1) & this.#mask;
    if (--this.#size === 0 && this.#mask >= SHRINK_ABOVE) this.#reset();
    return item;
  }

  /** Removes and returns every item, oldest first. */
  drain(): T[] {
    const rest = new Array<T>(this.#size);
    for (let i = 0; i < rest.length; i++) rest[i] = this.shift()!;
    return rest;
  }

  /** Back to the initial capacity: a queue that held a burst of tasks gives that memory back once empty. */
  #reset(): void {
    this.#items = new Array(INITIAL).fill(undefined);
    this.#mask = INITIAL - 1;
    this.#head = 0;
  }

  /** Doubles the capacity, keeping the order (the ring is full: head is both its first and next slot). */
  #grow(): void {
    const old = this.#items;
    const items = new Array<T | undefined>(old.length * 2).fill(undefined);
    for (let i = 0; i < this.#size; i++) items[i] = old[(this.#head + i) & this.#mask];
    this.#items = items;
    this.#mask = items.length - 1;
    this.#head = 0;
  }
}
