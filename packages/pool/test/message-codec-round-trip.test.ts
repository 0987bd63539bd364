import { wire } from "@weft/pool/extension";
import { describe, expect, it } from "vitest";

const spec = { kind: "module", url: "file:///t.mjs", exportName: "f" } as never;

/** Every task record of a batch as the task server reads it. */
function readAll(batch: unknown[], window: number): unknown[][] {
  const reader = new wire.TaskReader(window);
  reader.load(batch);
  const records: unknown[][] = [];
  for (let r = reader.next(); r !== wire.RECORD_END; r = reader.next()) {
    if (r === wire.RECORD_DEFINE) records.push(["define", reader.target, reader.spec]);
    else records.push([reader.slot, reader.target, reader.flags, reader.args, reader.context]);
  }
  return records;
}

describe("the message codec: what the core writes, the task server reads back", () => {
  it("a batch of tasks with a definition and a context, wrapping round the window", () => {
    const window = 4;
    const ctx = { ctx: 1 };
    let batch: unknown[] = [];
    batch = wire.appendTask(batch, 3, 2, spec, wire.taskCode(2, wire.FLAG_BARE), 7, undefined);
    batch = wire.appendTask(batch, 0, 2, undefined, wire.taskCode(2, wire.FLAG_CONTEXT), [1, 2], ctx);
    batch = wire.appendTask(batch, 1, 5, undefined, wire.taskCode(5, wire.FLAG_NOARGS), 0, undefined);
    expect(wire.countTasks(batch)).toBe(3);
    expect(readAll(batch, window)).toEqual([
      ["define", 2, spec],
      [3, 2, wire.FLAG_BARE, 7, undefined],
      [0, 2, wire.FLAG_CONTEXT, [1, 2], ctx],
      [1, 5, wire.FLAG_NOARGS, 0, undefined],
    ]);
  });

  it("a lone task is built at its final size and travels bare; a batch with a definition does not", () => {
    const lone = wire.appendTask([], 1, 0, undefined, wire.taskCode(0, wire.FLAG_BARE), "x", undefined);
    expect(lone).toEqual([1, wire.taskCode(0, wire.FLAG_BARE), "x"]);
    const start = wire.bareStart(lone, false);
    expect(start).toBe(0);
    expect(wire.fromBare(lone[start] as number, lone[start + 1] as number, lone[start + 2], false)).toEqual(
      lone,
    );
    expect(wire.bareStart(wire.appendTask([], 1, 0, spec, 0, [], undefined), false)).toBe(-1);
    const result = wire.resultBatch(2, wire.STATUS_OK, 42);
    expect(wire.isLoneResult(result)).toBe(true);
    expect(wire.fromBare(2, wire.STATUS_OK, 42, true)).toEqual(result);
  });

  it("splitting a batch that cannot be sent: one message per task, a definition goes with the next task sent", () => {
    const window = 3;
    let batch: unknown[] = [];
    batch = wire.appendTask(batch, 2, 0, spec, wire.taskCode(0, 0), ["bad"], undefined);
    batch = wire.appendTask(batch, 0, 0, undefined, wire.taskCode(0, 0), ["good"], undefined);
    const sent: unknown[][] = [];
    wire.splitBatch(batch, window, (slot, message) => {
      if ((message.at(-1) as unknown[])[0] === "bad") return false;
      sent.push([slot, message]);
      return true;
    });
    expect(sent).toEqual([[0, [0, wire.DEFINE, 0, spec, wire.taskCode(0, 0), ["good"]]]]);
  });

  it("result batches: consecutive slots round the ring, split back into their results", () => {
    const batch = wire.resultBatch(2, wire.STATUS_OK, "a");
    wire.appendResult(batch, wire.STATUS_ERROR, "b");
    wire.appendResult(batch, wire.STATUS_SKIPPED, undefined);
    expect(wire.countResults(batch)).toBe(3);
    expect(wire.isLoneResult(batch)).toBe(false);
    const seen: unknown[] = [];
    wire.splitResults(batch, 3, (slot, status, value) => seen.push([slot, status, value]));
    expect(seen).toEqual([
      [2, wire.STATUS_OK, "a"],
      [0, wire.STATUS_ERROR, "b"],
      [1, wire.STATUS_SKIPPED, undefined],
    ]);
    expect(wire.nextSlot(2, 3)).toBe(0);
    expect(wire.slotAfter(2, 2, 3)).toBe(1);
  });
});
