import { Barrier, kLocalOnly } from "./barrier.js";
import { Condition } from "./condition.js";
import { SHARED_HINT } from "./cross-process.js";
import { Event } from "./event.js";
import { type HasState, kAttach, kState } from "./internal.js";
import { Lock } from "./lock.js";
import { attachState, providerNamed, providerOf, type SharedState } from "./memory.js";
import { RLock } from "./rlock.js";
import { BoundedSemaphore, Semaphore } from "./semaphore.js";
import { atomicsWaiter, type Waiter } from "./waiter.js";
import type { Walker } from "./walk.js";

/** @internal The memory part of a built-in primitive's encoded data. */
function memoryData(st: SharedState, w: Walker): Record<string, unknown> {
  const provider = providerOf(st.buffer);
  if (provider !== undefined) {
    return { provider: provider.name, memory: provider.describe(st.buffer), byteOffset: st.byteOffset };
  }
  if (w.crossProcess) {
    throw w.error(
      `is a ${st.kind} in memory shared only between threads (a SharedArrayBuffer): ${SHARED_HINT}`,
    );
  }
  if (st.waiter !== atomicsWaiter) {
    throw w.error(
      `is a ${st.kind} with a custom waiter: it cannot cross threads unless its memory comes from a ` +
        "registered memory provider (registerMemoryProvider)",
    );
  }
  return { buffer: st.buffer, byteOffset: st.byteOffset };
}

/** @internal Re-attaches the memory described by memoryData. */
function attachData(
  kind: string,
  byteLength: number,
  d: Record<string, unknown>,
): { [kAttach]: SharedState } {
  let buffer = d.buffer as SharedArrayBuffer;
  let waiter: Waiter = atomicsWaiter;
  if (typeof d.provider === "string") {
    const p = providerNamed(d.provider);
    if (p === undefined) {
      throw new TypeError(
        `marshal.decode: a ${kind} uses memory provider "${d.provider}", which is not registered in this ` +
          "thread; import the package that registers it (e.g. @weft/native) before decoding",
      );
    }
    buffer = p.attach(d.memory);
    waiter = p.waiter;
  }
  return { [kAttach]: attachState(kind, byteLength, buffer, d.byteOffset as number, waiter) };
}

/** @internal How a built-in primitive kind is encoded and rebuilt. */
interface Builtin {
  encode(v: object, w: Walker): Record<string, unknown>;
  decode(d: Record<string, unknown>): object;
}

type Attach = { [kAttach]: SharedState };

function builtin(
  kind: string,
  byteLength: number,
  make: (a: Attach, d: Record<string, unknown>) => object,
  extra?: (v: never, w: Walker) => Record<string, unknown>,
): [string, Builtin] {
  return [
    kind,
    {
      encode: (v, w) => ({ ...memoryData((v as HasState)[kState], w), ...extra?.(v as never, w) }),
      decode: (d) => make(attachData(kind, byteLength, d), d),
    },
  ];
}

/** @internal */
export const builtins = new Map<string, Builtin>([
  builtin("Lock", Lock.byteLength, (a) => new Lock(a as never)),
  builtin("RLock", RLock.byteLength, (a) => new RLock(a as never)),
  builtin("Event", Event.byteLength, (a) => new Event(a as never)),
  builtin("Semaphore", Semaphore.byteLength, (a) => new Semaphore(0, a as never)),
  builtin("BoundedSemaphore", BoundedSemaphore.byteLength, (a) => new BoundedSemaphore(0, a as never)),
  builtin(
    "Condition",
    Condition.byteLength,
    (a, d) => new Condition(d.lock as Lock, a as never),
    (c: Condition) => ({ lock: c.lock }),
  ),
  builtin(
    "Barrier",
    Barrier.byteLength,
    (a, d) => new Barrier(0, { ...a, timeout: d.timeout as number | undefined } as never),
    (b: Barrier, w) => {
      const why = b[kLocalOnly]();
      if (why !== undefined) {
        throw w.error(
          `is a Barrier that ${why}: functions cannot cross ${w.boundary}; create it without an action and let ` +
            "the party whose wait() returns 0 do the work",
        );
      }
      return b.defaultTimeout === undefined ? {} : { timeout: b.defaultTimeout };
    },
  ),
]);
