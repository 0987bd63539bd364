import type { Waiter } from "@weft/sync";
import { checkOptionKeys } from "@weft/sync/extension";
import { binding } from "./binding.js";
import { SharedMemoryError, SharedMemorySizeError } from "./errors.js";
import { futexWaiter } from "./futex-waiter.js";
import { checkByteLength, checkName } from "./names.js";
import { randomName } from "./random-name.js";
import { registry, remember } from "./registry.js";

const magic = 0x74666577; // "weft" little-endian
const version = 1;
const headerBytes = 16;

function osError(e: unknown, fallback: string): never {
  const code = (e as { code?: unknown })?.code;
  if (typeof code !== "string") throw e;
  const message = (e as Error).message;
  if (code === "ENOENT") {
    throw new SharedMemoryError(
      `${message}: no segment has that name; its creator closed it or exited, or it never existed`,
      code,
      { cause: e },
    );
  }
  if (code === "ENOSPC" || code === "ENOMEM") {
    throw new SharedMemoryError(`${message}: /dev/shm is full; free space or use a smaller size`, code, {
      cause: e,
    });
  }
  throw new SharedMemoryError(`${message} (${fallback})`, code, { cause: e });
}

const CREATE_OPTION_KEYS: ReadonlySet<string> = new Set(["name"]);

/** Where a primitive lives in a segment, ready to spread into a `@weft/sync` constructor's options. */
export interface Placement {
  memory: { buffer: SharedArrayBuffer; byteOffset: number };
  waiter: Waiter;
}

/**
 * A POSIX shared memory segment (a file in /dev/shm, mmap'ed, mode 0600) seen as a `SharedArrayBuffer`, so other
 * processes that attach it by name (or receive a primitive placed in it through `marshal`) share the very
 * same bytes. The first 16 bytes hold a small header with an allocation cursor; {@link allocate} and
 * {@link place} hand out aligned slots after it, safely from any process.
 *
 * Lifetime: the creating process owns the name; the first of {@link close} (or `using`), the creator's
 * buffer being garbage-collected in every thread it reached (also when the creating worker thread ends),
 * and normal process exit unlinks it, whichever thread created it, after which nobody can attach any more.
 * A process killed by a signal cannot clean up: call {@link unlink} once every process has attached and
 * nothing can be left in /dev/shm. Mappings already made stay valid until their last SharedArrayBuffer is
 * garbage-collected (unmapping earlier would make every view crash), in this and every other process.
 *
 * @example
 * ```ts
 * import { SharedMemory } from "@weft/native";
 * import { Lock } from "@weft/sync";
 * using shm = SharedMemory.create(4096);
 * const lock = new Lock(shm.place(Lock)); // process-shared lock with the futex waiter
 * const counter = new Int32Array(shm.buffer, shm.allocate(4), 1);
 * ```
 */
export class SharedMemory {
  readonly #name: string;
  readonly #buffer: SharedArrayBuffer;
  readonly #header: Int32Array;
  /** Which segment the name denoted when it was mapped ("<dev>:<ino>"). */
  readonly #key: string;
  readonly #owner: boolean;
  #closed = false;

  private constructor(name: string, buffer: SharedArrayBuffer, key: string, owner: boolean) {
    this.#name = name;
    this.#buffer = buffer;
    this.#key = key;
    this.#header = new Int32Array(buffer, 0, Math.min(4, buffer.byteLength >> 2));
    this.#owner = owner;
  }

  /**
   * Creates a new segment of `byteLength` bytes (16 of them are the header), zero-filled, mode 0600, under
   * a random name unless `options.name` is given (1-200 characters of `A-Z a-z 0-9 . _ -`).
   * The space is reserved at once, so a full /dev/shm fails here with `SharedMemoryError` (ENOSPC).
   *
   * @example
   * ```ts
   * import { SharedMemory } from "@weft/native";
   * const shm = SharedMemory.create(1 << 20);
   * console.log(shm.name, shm.byteLength); // weft-1234-9f0c... 1048576
   * shm.close();
   * ```
   */
  static create(byteLength: number, options: { name?: string } = {}): SharedMemory {
    checkByteLength(byteLength, headerBytes);
    if (typeof options !== "object" || options === null) {
      throw new TypeError(
        "SharedMemory.create(byteLength, options): options must be an object like { name }",
      );
    }
    checkOptionKeys(
      "SharedMemory.create options",
      options,
      CREATE_OPTION_KEYS,
      (m, o) => new TypeError(m, o),
      true,
    );
    const name = options.name === undefined ? randomName() : checkName(options.name);
    let buffer: SharedArrayBuffer;
    let key: string;
    try {
      [buffer, key] = binding().shmCreate(name, byteLength);
    } catch (e) {
      osError(e, "SharedMemory.create");
    }
    const header = new Int32Array(buffer, 0, 4);
    Atomics.store(header, 2, headerBytes);
    Atomics.store(header, 1, version);
    Atomics.store(header, 0, magic);
    remember(buffer, name, key);
    return new SharedMemory(name, buffer, key, true);
  }

  /**
   * Maps the segment `name` denotes now (its size comes from the segment). Within one thread, attaching a
   * name whose segment is already mapped returns the same `SharedArrayBuffer`; a segment closed and
   * re-created under that name since is a different one and gets a new mapping.
   *
   * @example
   * ```ts
   * import { SharedMemory } from "@weft/native";
   * const shm = SharedMemory.attach(process.argv[2]!); // name sent by the parent
   * console.log(new Int32Array(shm.buffer)[4]);
   * ```
   */
  static attach(name: string): SharedMemory {
    checkName(name);
    const buffer = attachBuffer(name);
    return new SharedMemory(name, buffer, registry().mappings.get(buffer)!.key, false);
  }

  /**
   * Removes a segment's name (like `shm_unlink`), e.g. to clean up after a creator that was killed.
   * Returns false when it did not exist.
   *
   * @example
   * ```ts
   * import { SharedMemory } from "@weft/native";
   * SharedMemory.unlink("weft-1234-9f0c0d1e2f3a4b5c6d7e8f90"); // true or false
   * ```
   */
  static unlink(name: string): boolean {
    checkName(name);
    try {
      return binding().shmUnlink(name);
    } catch (e) {
      osError(e, "SharedMemory.unlink");
    }
  }

  /** The segment's name (without the leading "/"); send it to another process to {@link attach}.
   * @example
   * ```ts
   * child.send({ shm: shm.name });
   * ```
   */
  get name(): string {
    return this.#name;
  }

  /** The mapping as a SharedArrayBuffer (whole segment, header included).
   * @example
   * ```ts
   * const bytes = new Uint8Array(shm.buffer, shm.allocate(1024), 1024);
   * ```
   */
  get buffer(): SharedArrayBuffer {
    return this.#buffer;
  }

  /** Size of the segment in bytes.
   * @example
   * ```ts
   * console.log(SharedMemory.create(4096).byteLength); // 4096
   * ```
   */
  get byteLength(): number {
    return this.#buffer.byteLength;
  }

  /** True in the process that created the segment (it unlinks the name on close).
   * @example
   * ```ts
   * console.log(SharedMemory.create(64).isOwner); // true
   * ```
   */
  get isOwner(): boolean {
    return this.#owner;
  }

  /** True after {@link close}.
   * @example
   * ```ts
   * shm.close();
   * console.log(shm.closed); // true
   * ```
   */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Reserves `byteLength` bytes after the header, aligned to `align` (a power of two, default 8), and
   * returns their byte offset. Atomic across processes: any process that attached the segment may
   * allocate. Throws `SharedMemorySizeError` when the segment is full.
   *
   * @example
   * ```ts
   * const counter = new Int32Array(shm.buffer, shm.allocate(4), 1);
   * ```
   */
  allocate(byteLength: number, align = 8): number {
    if (!Number.isInteger(byteLength) || byteLength < 0) {
      throw new SharedMemorySizeError(`allocate(${String(byteLength)}): pass a non-negative integer`);
    }
    if (!Number.isInteger(align) || align < 1 || align > 4096 || (align & (align - 1)) !== 0) {
      throw new SharedMemorySizeError(`allocate: align ${String(align)} must be a power of two up to 4096`);
    }
    const header = this.#header;
    if (header.length < 4 || Atomics.load(header, 0) !== magic) {
      throw new SharedMemoryError(
        `segment ${this.#name} was not created by SharedMemory.create, so it has no allocation header; ` +
          "use its buffer directly",
        "EINVAL",
      );
    }
    for (;;) {
      const cursor = Atomics.load(header, 2);
      const start = (cursor + align - 1) & ~(align - 1);
      const end = start + byteLength;
      if (end > this.#buffer.byteLength) {
        throw new SharedMemorySizeError(
          `segment ${this.#name} is full: ${byteLength} bytes do not fit (${this.#buffer.byteLength - cursor} ` +
            "left); create a larger segment",
        );
      }
      if (Atomics.compareExchange(header, 2, cursor, end) === cursor) return start;
    }
  }

  /**
   * Allocates room for a `@weft/sync` primitive (anything with a static `byteLength`, or a byte count) and
   * returns `{ memory, waiter }` to pass to its constructor, so it lives in this segment and sleeps on the
   * process-shared futex.
   *
   * @example
   * ```ts
   * import { Event, Lock, Semaphore } from "@weft/sync";
   * const lock = new Lock(shm.place(Lock));
   * const ready = new Event(shm.place(Event));
   * ```
   */
  place(what: { readonly byteLength: number } | number): Placement {
    const bytes = typeof what === "number" ? what : what.byteLength;
    return { memory: { buffer: this.#buffer, byteOffset: this.allocate(bytes, 8) }, waiter: futexWaiter };
  }

  /**
   * Closes the segment: the creator unlinks its name (if it still denotes this segment) so no process can
   * attach any more (existing mappings stay valid until garbage-collected). Idempotent. Also runs on `using`.
   *
   * @example
   * ```ts
   * const shm = SharedMemory.create(4096);
   * shm.close();
   * ```
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#owner) this.#unlinkName();
  }

  /**
   * Removes the segment's name now, from any process that mapped it (creator or attacher), while every
   * existing mapping keeps working. Attaching by name fails from then on (`SharedMemoryError` ENOENT), and so
   * does sending a primitive placed here to a process or thread that has not mapped the segment yet. Call
   * it once every party has attached: then nothing can leak in /dev/shm even if every process is killed
   * with SIGKILL. Only removes the name while it still denotes this segment (a segment re-created under the
   * same name is left alone). Returns whether it removed the name. Idempotent.
   *
   * @example
   * ```ts
   * import { SharedMemory } from "@weft/native";
   * const shm = SharedMemory.create(4096);
   * // ... send shm.name to the children and wait until each has called SharedMemory.attach ...
   * shm.unlink(); // from now on no segment is left behind, however the processes end
   * ```
   */
  unlink(): boolean {
    return this.#unlinkName();
  }

  #unlinkName(): boolean {
    try {
      return binding().shmUnlinkIfSame(this.#name, this.#key);
    } catch (e) {
      osError(e, "SharedMemory.unlink");
    }
  }

  /** Same as {@link close}.
   * @example
   * ```ts
   * { using shm = SharedMemory.create(4096); }
   * ```
   */
  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * Maps the segment `name` denotes now, reusing this thread's live mapping when it is that very segment
 * (a segment closed and re-created under the same name is a different one). With `expectedKey`, refuses a
 * segment other than the one it identifies.
 */
export function attachBuffer(name: string, expectedKey?: string): SharedArrayBuffer {
  const cached = registry().byName.get(name);
  const live = cached?.buffer.deref();
  let mapped: [SharedArrayBuffer, string] | null;
  try {
    mapped = binding().shmAttach(name, live === undefined ? undefined : cached!.key);
  } catch (e) {
    osError(e, "SharedMemory.attach");
  }
  const [buffer, key] = mapped ?? [live!, cached!.key];
  if (expectedKey !== undefined && key !== expectedKey) {
    throw new SharedMemoryError(
      `shared memory ${name} was closed and re-created since this primitive was sent: the name now denotes ` +
        "another segment; keep the creator's SharedMemory open while others attach",
      "ESTALE",
    );
  }
  if (mapped !== null) remember(buffer, name, key);
  return buffer;
}

/** The segment name and key of a process-shared buffer, or undefined for an ordinary SharedArrayBuffer. */
export function mappingOf(buffer: SharedArrayBuffer): { name: string; key: string } | undefined {
  return registry().mappings.get(buffer);
}
