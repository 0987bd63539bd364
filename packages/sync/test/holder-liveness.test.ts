import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { recordDead } from "../src/liveness.js";

// How a holder record is judged: a process that has exited (or is a zombie) is dead, a reused pid (another
// start time) is dead, a live process with its own start time is alive, and an incomplete record (a half
// still zero) is never dead. Linux only (/proc).

const slot = new Float64Array(1);
const halves = new Int32Array(slot.buffer);
function record(pid: number, tid: number, startTicks: number): Float64Array {
  const stamp = ((startTicks % 0x7ffffffe) + 1) & 0xff;
  halves[0] = tid;
  halves[1] = (pid & 0x3fffff) | (stamp << 22);
  return new Float64Array([slot[0]!]);
}
const startOf = (pid: number): number =>
  Number(readFileSync(`/proc/${pid}/stat`, "latin1").split(") ")[1]!.split(" ")[19]);

describe.skipIf(process.platform !== "linux")("holder records", () => {
  it("a live process is alive, the same pid with another start time and an exited process are dead", async () => {
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 20000)"], { stdio: "ignore" });
    await new Promise((r) => setTimeout(r, 100));
    const pid = child.pid!;
    const start = startOf(pid);
    expect(recordDead(record(pid, 1, start), 0)).toBe(false);
    expect(recordDead(record(pid, 1, start + 1), 0)).toBe(true); // a reused pid: another process
    const exited = once(child, "exit");
    child.kill("SIGKILL");
    await exited;
    await new Promise((r) => setTimeout(r, 20)); // past the 10 ms verdict cache
    expect(recordDead(record(pid, 1, start), 0)).toBe(true);
  });

  it("this thread is alive; a record with a zero half is incomplete, never dead", () => {
    const me = record(process.pid, 1, startOf(process.pid)); // the main thread (threadId 0 + 1)
    expect(recordDead(me, 0)).toBe(false);
    expect(recordDead(new Float64Array([0]), 0)).toBe(false);
    halves[0] = 0;
    halves[1] = 12345;
    expect(recordDead(new Float64Array([slot[0]!]), 0)).toBe(false);
  });
});
