import { Event } from "./event.js";
import { type HasState, kAttach, kState } from "./internal.js";
import { Lock } from "./lock.js";
import { attachState, providerNamed, providerOf, type SharedState } from "./memory.js";
import { atomicsWaiter, type Waiter } from "./waiter.js";
import type { Walker } from "./walk.js";

/** @internal The memory part of a built-in primitive's encoded data. */
export function memoryData(st: SharedState, w: Walker): Record<string, unknown> {
  const provider = providerOf(st.buffer);
  if (provider !== undefined) {
    return { provider: provider.name, memory: provider.describe(st.buffer), byteOffset: st.byteOffset };
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
export function attachData(
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
export interface Builtin {
  encode(v: object, w: Walker): Record<string, unknown>;
  decode(d: Record<string, unknown>): object;
}

function simple(kind: string, cls: { byteLength: number; new (o: never): object }): [string, Builtin] {
  return [
    kind,
    {
      encode: (v, w) => memoryData((v as HasState)[kState], w),
      decode: (d) => new cls(attachData(kind, cls.byteLength, d) as never),
    },
  ];
}

/** @internal */
export const builtins = new Map<string, Builtin>([simple("Lock", Lock), simple("Event", Event)]);
