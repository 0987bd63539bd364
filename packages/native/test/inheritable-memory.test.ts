import { fork } from "node:child_process";
import { once } from "node:events";
import { closeSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createInheritableMemory, mapInheritedMemory } from "../src/extension.js";
import { SharedMemoryError, SharedMemorySizeError } from "../src/index.js";

const child = fileURLToPath(new URL("./fixtures/inherited-writer.mjs", import.meta.url));
const packageDir = fileURLToPath(new URL("..", import.meta.url));

describe("unnamed memory inherited by a child (extension API)", () => {
  it("is shared with the child that inherits the descriptor and never appears in /dev/shm", async () => {
    const before = readdirSync("/dev/shm").filter((n) => n.startsWith(`weft-${process.pid}-`));
    const { buffer, fd } = createInheritableMemory(8192);
    expect(readdirSync("/dev/shm").filter((n) => n.startsWith(`weft-${process.pid}-`))).toEqual(before);
    const proc = fork(child, ["4"], {
      cwd: packageDir,
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc", fd],
    });
    closeSync(fd);
    const [report] = await once(proc, "message");
    expect(report).toEqual({ byteLength: 8192, closed: true });
    const [code] = await once(proc, "exit");
    expect(code).toBe(0);
    expect(Atomics.load(new Int32Array(buffer), 0)).toBe(4242);
  }, 30_000);

  it("rejects bad sizes and descriptors with typed errors", () => {
    expect(() => createInheritableMemory(0)).toThrow(SharedMemorySizeError);
    expect(() => mapInheritedMemory(-1)).toThrow(SharedMemoryError);
    expect(() => mapInheritedMemory(1.5)).toThrow(SharedMemoryError);
    expect(() => mapInheritedMemory(987_654)).toThrow(expect.objectContaining({ errno: "EBADF" }));
  });
});
