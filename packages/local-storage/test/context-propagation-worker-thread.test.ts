import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe } from "vitest";
import { propagationCases } from "./support/propagation-cases.js";

let worker: Worker;
let nextId = 0;
const pending = new Map<number, (result: Record<string, unknown>) => void>();

beforeAll(() => {
  worker = new Worker(new URL("./fixtures/context-worker.mjs", import.meta.url));
  worker.on("message", ({ id, result }) => pending.get(id)?.(result));
});
afterAll(() => worker.terminate());

describe("snapshot/runWith across a raw worker thread", () => {
  propagationCases((msg) => {
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      worker.postMessage({ ...msg, id });
    });
  });
});
