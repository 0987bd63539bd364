import { once } from "node:events";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { processSharedMemory, SharedMemory, SharedMemoryError } from "../src/index.js";
import { cleanUp } from "./fixtures/child.js";

afterEach(cleanUp);

// Workers cannot load the TypeScript sources: they use the built package (tests run after the build).
const distUrl = pathToFileURL(fileURLToPath(new URL("../dist/index.js", import.meta.url))).href;
const attacher = `
  const { parentPort, workerData } = require("node:worker_threads");
  import(workerData.url).then(({ SharedMemory }) => {
    let early;
    parentPort.on("message", (m) => {
      if (m === "attach") {
        early = SharedMemory.attach(workerData.name);
        parentPort.postMessage(new Int32Array(early.buffer)[4]);
      } else {
        const now = SharedMemory.attach(workerData.name);
        parentPort.postMessage({
          now: new Int32Array(now.buffer)[4],
          byteLength: now.byteLength,
          early: new Int32Array(early.buffer)[4],
        });
      }
    });
    parentPort.postMessage("ready");
  });`;

async function ask(worker: Worker, question: string): Promise<unknown> {
  if (!(worker as { ready?: boolean }).ready) {
    const [hello] = await once(worker, "message");
    expect(hello).toBe("ready");
    (worker as { ready?: boolean }).ready = true;
  }
  worker.postMessage(question);
  const [answer] = await once(worker, "message");
  return answer;
}

const nameFor = (tag: string) => `weft-test-${process.pid}-${tag}`;

describe("SharedMemory.attach maps the segment the name denotes now", () => {
  it("after the owner closes and re-creates the name, an earlier attacher's new attach sees the new segment", async () => {
    const name = nameFor("recreated");
    const first = SharedMemory.create(64, { name });
    new Int32Array(first.buffer)[4] = 111;
    // The earlier attacher is another thread (the creating thread's own cache follows its creates).
    const worker = new Worker(attacher, { eval: true, workerData: { url: distUrl, name } });
    try {
      expect(await ask(worker, "attach")).toBe(111);
      first.close();
      using second = SharedMemory.create(128, { name });
      new Int32Array(second.buffer)[4] = 222;
      // A new attach maps the new segment; the mapping it already had still shows the old one.
      expect(await ask(worker, "attach again")).toEqual({ now: 222, byteLength: 128, early: 111 });
    } finally {
      await worker.terminate();
    }
  });

  it("while the name still denotes the same segment, attach reuses this thread's mapping", () => {
    using shm = SharedMemory.create(64, { name: nameFor("same") });
    expect(SharedMemory.attach(shm.name).buffer).toBe(shm.buffer);
    expect(SharedMemory.attach(shm.name).buffer).toBe(SharedMemory.attach(shm.name).buffer);
  });

  it("a primitive described before the name was re-created is refused, not silently mapped elsewhere", () => {
    const name = nameFor("stale-description");
    const first = SharedMemory.create(64, { name });
    const description = structuredClone(processSharedMemory.describe(first.buffer));
    first.close();
    using second = SharedMemory.create(64, { name });
    expect(() => processSharedMemory.attach(description)).toThrow(
      expect.objectContaining({ constructor: SharedMemoryError, errno: "ESTALE" }),
    );
    expect(processSharedMemory.attach(processSharedMemory.describe(second.buffer))).toBe(second.buffer);
  });
});
