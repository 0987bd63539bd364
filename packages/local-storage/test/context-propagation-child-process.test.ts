import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe } from "vitest";
import { propagationCases } from "./support/propagation-cases.js";

let child: ChildProcess;
let nextId = 0;
const pending = new Map<number, (result: Record<string, unknown>) => void>();

beforeAll(() => {
  child = fork(fileURLToPath(new URL("./fixtures/context-child.mjs", import.meta.url)), {
    serialization: "advanced",
    stdio: "inherit",
  });
  child.on("message", (msg) => {
    const { id, result } = msg as { id: number; result: Record<string, unknown> };
    pending.get(id)?.(result);
  });
});
afterAll(async () => {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill();
  await exited;
});

describe("snapshot/runWith across a raw child process (fork, advanced serialization)", () => {
  propagationCases((msg) => {
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      child.send({ ...msg, id });
    });
  });
});
