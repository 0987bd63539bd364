import { Lock, marshal } from "@weft/sync";
import { describe, expect, it } from "vitest";
import { runWorker } from "./helpers.js";

const WORKERS = 4;

async function hammer(prim: unknown, mode: string, n: number): Promise<number> {
  const counter = new Int32Array(new SharedArrayBuffer(8));
  const data = marshal.encode({ prim, counter, n, mode, workers: WORKERS });
  await Promise.all(Array.from({ length: WORKERS }, () => runWorker("increment.mjs", data)));
  return counter[0]!;
}

describe("4 workers incrementing a plain shared counter", () => {
  it("lose updates without a lock (the workload can expose a broken lock)", async () => {
    expect(await hammer(null, "none", 100_000)).toBeLessThan(400_000);
  });
  it("lose none under a Lock (acquireSync)", async () => {
    expect(await hammer(new Lock(), "sync", 100_000)).toBe(400_000);
  });
  it("lose none under a Lock (async acquire in each worker)", async () => {
    expect(await hammer(new Lock(), "async", 25_000)).toBe(100_000);
  });
});
