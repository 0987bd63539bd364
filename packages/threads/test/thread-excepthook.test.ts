import { defaultExcepthook, type ExceptHookArgs, getExcepthook, setExcepthook, Thread } from "@weft/threads";
import { afterEach, describe, expect, it } from "vitest";
import { runNode } from "./run-node.js";

/** Resolves with the hook's arguments the next time it is called. */
function nextHookCall(): Promise<ExceptHookArgs> {
  return new Promise((resolve) => {
    setExcepthook((args) => resolve(args));
  });
}

describe("excepthook (Python's threading.excepthook)", () => {
  afterEach(() => {
    setExcepthook(undefined);
  });

  it("receives the error class, the error and the thread of a failure nobody joined", async () => {
    const called = nextHookCall();
    const t = new Thread({
      name: "failing",
      target: () => {
        throw new RangeError("out of range");
      },
    }).start();
    const args = await called;
    expect(args.thread).toBe(t);
    expect(args.thread.name).toBe("failing");
    expect(args.excType).toBe(RangeError);
    expect(args.excValue).toBeInstanceOf(RangeError);
    expect((args.excValue as Error).message).toBe("out of range");
    expect(t.error).toBe(args.excValue);
  });

  it("is not called for a failure that a join() reports", async () => {
    const calls: ExceptHookArgs[] = [];
    setExcepthook((args) => calls.push(args));
    const t = new Thread({
      target: () => {
        throw new Error("seen by join");
      },
    }).start();
    await expect(t.join()).rejects.toThrow(/seen by join/);
    expect(calls).toEqual([]);
  });

  it("can be read, replaced and restored; only functions or undefined are accepted", () => {
    expect(getExcepthook()).toBe(defaultExcepthook);
    const mine = () => {};
    expect(setExcepthook(mine)).toBe(defaultExcepthook);
    expect(getExcepthook()).toBe(mine);
    expect(setExcepthook(undefined)).toBe(mine);
    expect(getExcepthook()).toBe(defaultExcepthook);
    expect(() => setExcepthook("log" as never)).toThrow(TypeError);
    expect(getExcepthook()).toBe(defaultExcepthook);
  });

  it("the default writes the report to stderr; a hook that throws is reported and does not crash", async () => {
    const script = `
      import { setExcepthook, Thread } from "@weft/threads";
      const fail = (name) =>
        new Thread({ name, target: (n) => { throw new TypeError("boom in " + n); }, args: [name] });
      fail("by-default").start();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      setExcepthook(() => { throw new Error("the hook broke"); });
      fail("by-broken-hook").start();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      setExcepthook(async () => { throw new Error("the async hook broke"); });
      fail("by-async-hook").start();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      console.log("still running");
    `;
    const run = await runNode(["--input-type=module", "-e", script], 30_000);
    expect(run.stderr).toMatch(/Exception in thread by-default:\nTypeError: boom in by-default/);
    expect(run.stderr).toMatch(/Exception in threading\.excepthook:\nError: the hook broke/);
    expect(run.stderr).toMatch(/Exception in thread by-broken-hook:\nTypeError: boom in by-broken-hook/);
    expect(run.stderr).toMatch(/Exception in threading\.excepthook:\nError: the async hook broke/);
    expect(run.stdout).toContain("still running");
    expect(run.code).toBe(0);
  });

  it("the default shows a thrown value that is not an Error as Node would, not as [object Object]", async () => {
    const script = `
      import { Thread } from "@weft/threads";
      new Thread({ name: "plain-object", target: () => { throw { code: 42, why: "plain" }; } }).start();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      new Thread({ name: "a-string", target: () => { throw "text"; } }).start();
      await new Promise((resolve) => setTimeout(resolve, 1500));
    `;
    const run = await runNode(["--input-type=module", "-e", script], 30_000);
    expect(run.stderr).toMatch(/Exception in thread plain-object:\n\{ code: 42, why: 'plain' \}\n/);
    expect(run.stderr).toMatch(/Exception in thread a-string:\ntext\n/);
    expect(run.stderr).not.toContain("[object Object]");
  });

  it("a hook that throws a value that cannot even be described still lets the thread's error be reported", async () => {
    const script = `
      import { setExcepthook, Thread } from "@weft/threads";
      // A revoked Proxy: String(), instanceof and Object.prototype.toString all throw on it.
      setExcepthook(() => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); throw proxy; });
      new Thread({ name: "under-a-broken-hook", target: () => { throw new RangeError("lost report"); } }).start();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      console.log("still running");
    `;
    const run = await runNode(["--input-type=module", "-e", script], 30_000);
    expect(run.stderr).toMatch(/Exception in threading\.excepthook:\n\[object that cannot be described\]/);
    expect(run.stderr).toMatch(/Exception in thread under-a-broken-hook:\nRangeError: lost report/);
    expect(run.stdout).toContain("still running");
    expect(run.code).toBe(0);
  });
});
