import { Event } from "@weft/sync";
import {
  currentThread,
  defaultExcepthook,
  type ExceptHookArgs,
  getExcepthook,
  mainThread,
  setExcepthook,
  Thread,
  ThreadStateError,
  Timer,
} from "@weft/threads";
import { afterEach, describe, expect, it } from "vitest";

// More of CPython Lib/test/test_threading.py (ThreadTests, ThreadingExceptionTests, ExceptHookTests,
// TimerTests) than thread-python-expectations.test.ts ports: start() twice on a running thread, the main
// thread's identity, current_thread() inside a thread, the daemon flag a thread inherits, the excepthook's
// arguments and its original, and Timer cancel() before start(). Names as there: is_alive() -> isAlive,
// RuntimeError -> ThreadStateError, threading.excepthook = hook -> setExcepthook(hook).

const threadTasks = new URL("./fixtures/thread-tasks.mjs", import.meta.url);

afterEach(() => {
  setExcepthook(undefined);
});

describe("ThreadTests", () => {
  it("test_start_thread_again (while running): a second start() is an error and the thread runs on", async () => {
    const release = new Event();
    const t = new Thread({ target: (ev: Event) => ev.wait(), args: [release] }).start();
    expect(() => t.start()).toThrow(ThreadStateError);
    expect(t.isAlive).toBe(true);
    release.set();
    expect(await t.join()).toBe(true);
    expect(t.result).toBe(true);
    expect(() => t.start()).toThrow(ThreadStateError);
  });

  it("a Thread has no ident before start(), is not alive, and keeps its name", () => {
    const t = new Thread({ target: () => 1, name: "not-yet" });
    expect(t.ident).toBeUndefined();
    expect(t.isAlive).toBe(false);
    expect(t.name).toBe("not-yet");
    expect(String(t)).toBe("Thread(not-yet, initial)");
  });

  it("test_main_thread: in the main thread, main_thread() is current_thread(), named MainThread", () => {
    const main = mainThread();
    expect(main.name).toBe("MainThread");
    expect(main.ident).toBe(currentThread().ident);
    expect(main).toBe(currentThread());
    expect(main.isAlive).toBe(true);
    expect(main.daemon).toBe(false);
  });

  it("test_current_thread in a thread: its own name and ident, not the main thread's", async () => {
    const t = new Thread({ target: { module: threadTasks, export: "whoAmI" }, name: "worker-a" }).start();
    await t.join();
    const seen = t.result as { name: string; ident: number; main: string; mainIdent: number; alive: boolean };
    expect(seen.name).toBe("worker-a");
    expect(seen.ident).toBe(t.ident);
    expect(seen.alive).toBe(true);
    expect(seen.main).toBe("MainThread");
    expect(seen.mainIdent).toBe(mainThread().ident);
    expect(seen.ident).not.toBe(seen.mainIdent);
  });

  it("test_daemon_param: daemon defaults to the creating thread's flag (main: false; a daemon thread: true)", async () => {
    expect(new Thread({ target: () => 1 }).daemon).toBe(false);
    const d = new Thread({
      target: { module: threadTasks, export: "nested" },
      args: [1],
      daemon: true,
    }).start();
    await d.join();
    const r = d.result as { inner: { daemon: boolean } };
    expect(r.inner.daemon).toBe(true);
    const n = new Thread({ target: { module: threadTasks, export: "nested" }, args: [2] }).start();
    await n.join();
    expect((n.result as { inner: { daemon: boolean } }).inner.daemon).toBe(false);
  });

  it("the name may change after start, as Python's Thread.name", async () => {
    const release = new Event();
    const t = new Thread({ target: (ev: Event) => ev.wait(), args: [release], name: "before" }).start();
    t.name = "after";
    expect(t.name).toBe("after");
    release.set();
    await t.join();
    expect(String(t)).toMatch(/^Thread\(after, stopped \d+\)$/);
  });
});

describe("ExceptHookTests", () => {
  it("test_original_excepthook: the default hook is in place and setExcepthook returns what it replaced", () => {
    expect(getExcepthook()).toBe(defaultExcepthook);
    const mine = (_: ExceptHookArgs) => {};
    expect(setExcepthook(mine)).toBe(defaultExcepthook);
    expect(getExcepthook()).toBe(mine);
    expect(setExcepthook(undefined)).toBe(mine);
    expect(getExcepthook()).toBe(defaultExcepthook);
  });

  it("test_custom_excepthook: exc_type, exc_value and thread of a thread that fails unjoined", async () => {
    const called = new Promise<ExceptHookArgs>((resolve) => setExcepthook(resolve));
    const t = new Thread({
      target: () => {
        throw new RangeError("run failed");
      },
      name: "excepthook thread",
    }).start();
    const args = await called;
    expect(args.excType).toBe(RangeError);
    expect(String(args.excValue)).toBe("RangeError: run failed");
    expect(args.thread).toBe(t);
    expect(t.isAlive).toBe(false);
  });

  it("test_excepthook: the default hook writes 'Exception in thread NAME:' and the stack to stderr", async () => {
    const written: string[] = [];
    const write = process.stderr.write;
    const reported = new Promise<void>((resolve) => {
      process.stderr.write = ((chunk: string) => {
        written.push(String(chunk));
        if (String(chunk).includes("Exception in thread")) resolve();
        return true;
      }) as typeof process.stderr.write;
    });
    try {
      new Thread({
        target: () => {
          throw new RangeError("bug");
        },
        name: "excepthook_thread",
      }).start();
      await reported;
    } finally {
      process.stderr.write = write;
    }
    const text = written.join("");
    expect(text).toContain("Exception in thread excepthook_thread:");
    expect(text).toContain("RangeError: bug");
  });
});

describe("TimerTests", () => {
  it("cancel() before start(): the function never runs and the timer ends at once", async () => {
    const ran = new Event();
    const timer = new Timer(10, (ev: Event) => ev.set(), [ran]);
    expect(timer.cancel()).toBe(true);
    timer.start();
    expect(await timer.join({ timeout: 5000 })).toBe(true);
    expect(timer.isAlive).toBe(false);
    expect(ran.isSet()).toBe(false);
    expect(timer.result).toBeUndefined();
  });

  it("a Timer passes its args to the function, and cannot be started twice", async () => {
    const timer = new Timer(5, (a: number, b: number) => a * b, [6, 7]);
    timer.start();
    expect(() => timer.start()).toThrow(ThreadStateError);
    await timer.join();
    expect(timer.result).toBe(42);
  });
});
