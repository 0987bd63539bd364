import { existsSync, readdirSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { SharedMemory, SharedMemoryError } from "../src/index.js";
import { cleanUp, exitCode, forkFixture, nextMessage } from "./fixtures/child.js";

afterEach(cleanUp);

const segmentsOf = (pid: number) => readdirSync("/dev/shm").filter((n) => n.startsWith(`weft-${pid}-`));

describe("shm.unlink(): dropping the name once every process has attached", () => {
  it("leaves nothing in /dev/shm when the creator is then killed with SIGKILL; mappings keep working", async () => {
    const creator = forkFixture("early-unlinker.mjs");
    const { name } = await nextMessage<{ name: string }>(creator, "name");
    expect(segmentsOf(creator.pid!)).toEqual([name]);
    const attached = SharedMemory.attach(name); // every party has attached
    creator.send("unlink");
    const report = await nextMessage<{ removed: boolean }>(creator, "removed");
    expect(report).toEqual({ removed: true, again: false, closed: false });
    expect(existsSync(`/dev/shm/${name}`)).toBe(false);
    // The creator's write after unlinking reaches this process's mapping.
    expect(Atomics.load(new Int32Array(attached.buffer), 4)).toBe(7);
    expect(() => SharedMemory.attach(name)).toThrow(
      expect.objectContaining({ constructor: SharedMemoryError, errno: "ENOENT" }),
    );
    creator.kill("SIGKILL");
    expect(await exitCode(creator)).toBe(null);
    expect(segmentsOf(creator.pid!)).toEqual([]);
  }, 30_000);

  it("works from an attacher too, and never removes a segment re-created under the same name", () => {
    const name = `weft-test-${process.pid}-early`;
    const first = SharedMemory.create(64, { name });
    const attacher = SharedMemory.attach(name);
    expect(attacher.unlink()).toBe(true);
    expect(existsSync(`/dev/shm/${name}`)).toBe(false);
    using second = SharedMemory.create(64, { name });
    expect(first.unlink()).toBe(false); // the name denotes `second` now
    first.close(); // nor does the first creator's close remove it
    expect(existsSync(`/dev/shm/${name}`)).toBe(true);
    expect(second.isOwner).toBe(true);
  });
});
