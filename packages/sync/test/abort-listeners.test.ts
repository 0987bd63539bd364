import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { listenAbort, unlistenAbort } from "../src/extension.js";

const recorder = (log: string[], name: string) => ({ handleEvent: () => log.push(name) });

describe("listenAbort: one listener per signal for any number of operations", () => {
  it("the signal carries one listener; all are called once, in the order they were added", () => {
    const ac = new AbortController();
    const log: string[] = [];
    const ops = Array.from({ length: 50 }, (_, i) => recorder(log, `op${i}`));
    for (const op of ops) listenAbort(ac.signal, op);
    expect(getEventListeners(ac.signal, "abort").length).toBe(1);
    unlistenAbort(ac.signal, ops[3]!);
    ac.abort();
    expect(log).toEqual(ops.map((_, i) => `op${i}`).filter((n) => n !== "op3"));
    expect(getEventListeners(ac.signal, "abort")).toEqual([]);
    unlistenAbort(ac.signal, ops[0]!); // after the abort: nothing to do
  });

  it("the signal's listener goes with the last operation, from one or from many", () => {
    const ac = new AbortController();
    const log: string[] = [];
    const a = recorder(log, "a");
    const b = recorder(log, "b");
    listenAbort(ac.signal, a);
    unlistenAbort(ac.signal, b); // not registered: ignored
    expect(getEventListeners(ac.signal, "abort").length).toBe(1);
    unlistenAbort(ac.signal, a);
    expect(getEventListeners(ac.signal, "abort")).toEqual([]);
    listenAbort(ac.signal, a);
    listenAbort(ac.signal, b);
    unlistenAbort(ac.signal, a);
    unlistenAbort(ac.signal, b);
    expect(getEventListeners(ac.signal, "abort")).toEqual([]);
    listenAbort(ac.signal, b);
    ac.abort();
    expect(log).toEqual(["b"]);
  });

  it("a listener that throws does not keep the others from being called", async () => {
    const ac = new AbortController();
    const log: string[] = [];
    const uncaught: unknown[] = [];
    const listeners = process.listeners("uncaughtException");
    process.removeAllListeners("uncaughtException");
    process.on("uncaughtException", (e) => uncaught.push(e));
    try {
      listenAbort(ac.signal, {
        handleEvent() {
          throw new Error("boom");
        },
      });
      listenAbort(ac.signal, recorder(log, "after"));
      ac.abort();
      await new Promise((r) => setImmediate(r));
    } finally {
      process.removeAllListeners("uncaughtException");
      for (const l of listeners) process.on("uncaughtException", l);
    }
    expect(log).toEqual(["after"]);
    expect(uncaught).toMatchObject([{ message: "boom" }]);
  });
});
