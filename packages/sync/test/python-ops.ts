import { Worker } from "node:worker_threads";
import { marshal } from "@weft/sync";

/** A worker running fixtures/python-ops.mjs: `held` resolves once a "hold" op holds, `results` at the end. */
export function opsInThread(
  prim: unknown,
  ops: string[],
  gate = new Int32Array(new SharedArrayBuffer(4)),
): { held: Promise<void>; results: Promise<unknown[]>; gate: Int32Array } {
  const w = new Worker(new URL("./fixtures/python-ops.mjs", import.meta.url), {
    workerData: marshal.encode({ prim, ops, gate }),
  });
  let onHeld: () => void = () => {};
  const held = new Promise<void>((r) => (onHeld = r));
  const results = new Promise<unknown[]>((resolve, reject) => {
    w.on("message", (m) => (m === "held" ? onHeld() : resolve(m as unknown[])));
    w.once("error", reject);
    w.once("exit", (code) => reject(new Error(`worker exited with ${code} before its results`)));
  });
  return { held, results, gate };
}

/** Lets a worker that holds (op "hold") go on. */
export function openGate(gate: Int32Array): void {
  Atomics.store(gate, 0, 1);
  Atomics.notify(gate, 0);
}
