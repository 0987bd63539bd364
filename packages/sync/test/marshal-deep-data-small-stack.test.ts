import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";

// The depth limit promises a MarshalError, never a stack overflow, whatever the stack size: Node 22's frames
// are larger than Node 20's, and a worker may run with a small `resourceLimits.stackSizeMb`.
const program = `
const { parentPort, workerData } = require("node:worker_threads");
const { marshal, registerMarshaller } = require(workerData.sync);
class Turtle {}
registerMarshaller("test.SmallStackTurtle", {
  test: (v) => v instanceof Turtle,
  encode: () => ({ below: new Turtle() }),
  decode: () => new Turtle(),
});
let d = [];
for (let i = 0; i < 990; i++) d = [{ deeper: d }];
const report = (e) => ({ name: e.name, code: e.code, message: String(e.message).slice(0, 200) });
const out = {};
try { marshal.encode({ t: new Turtle() }); } catch (e) { out.marshaller = report(e); }
try { marshal.encode(d); out.plain = "encoded"; } catch (e) { out.plain = report(e); }
parentPort.postMessage(out);
`;

describe("data nested deeper than the stack allows", () => {
  it("is a MarshalError naming the depth, not a RangeError, in a worker with a small stack", async () => {
    const sync = new URL("../dist/index.cjs", import.meta.url).pathname;
    const worker = new Worker(program, {
      eval: true,
      workerData: { sync },
      resourceLimits: { stackSizeMb: 0.5 },
    });
    const out = await new Promise<Record<string, { name: string; code: string; message: string } | string>>(
      (resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
      },
    );
    await worker.terminate();
    expect(out.marshaller).toMatchObject({ name: "MarshalError", code: "ERR_WEFT_MARSHAL" });
    expect((out.marshaller as { message: string }).message).toMatch(
      /nested deeper than this thread's stack allows \(the walk stopped at level \d+\)/,
    );
    // plain data within the limit either encodes or, when this stack cannot hold it, is a MarshalError too
    if (out.plain !== "encoded") expect(out.plain).toMatchObject({ name: "MarshalError" });
  });
});
