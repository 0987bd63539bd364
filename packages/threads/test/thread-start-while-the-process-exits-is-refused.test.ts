import { describe, expect, it } from "vitest";
import { runNode } from "./run-node.js";

// Python: starting a thread once interpreter shutdown began raises RuntimeError ("can't create new thread at
// interpreter shutdown"). In Node nothing runs after the process's "exit" event: a thread started from an exit
// listener would never run its target, yet it reported itself alive.
describe("starting a thread while the process exits", () => {
  it("Thread.start() and Timer.start() in an exit listener throw ThreadStateError and stay unstarted", async () => {
    const script = `
      import { writeSync } from "node:fs";
      // Registered before @weft/threads is loaded: it runs before any listener the package adds.
      process.on("exit", () => {
        const { Thread, Timer, ThreadStateError } = globalThis.__probe;
        const outcomes = [];
        for (const make of [() => new Thread({ target: () => 1 }), () => new Timer(0, () => 1)]) {
          const t = make();
          try {
            t.start();
            outcomes.push("accepted, alive " + t.isAlive);
          } catch (e) {
            outcomes.push((e instanceof ThreadStateError) + " " + e.message + " | alive " + t.isAlive);
          }
        }
        writeSync(1, JSON.stringify(outcomes));
      });
      globalThis.__probe = await import("@weft/threads");
    `;
    const run = await runNode(["--input-type=module", "-e", script]);
    expect(run.timedOut).toBe(false);
    expect(run.code, run.stderr).toBe(0);
    const outcomes = JSON.parse(run.stdout) as string[];
    expect(outcomes).toHaveLength(2);
    for (const outcome of outcomes) {
      expect(outcome).toMatch(/^true .*process is exiting/);
      expect(outcome).toMatch(/alive false$/);
    }
  });
});
