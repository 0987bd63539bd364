import { Event, InvalidTimeoutError } from "@weft/sync";
import {
  activeCount,
  currentThread,
  type ExceptHookArgs,
  enumerate,
  setExcepthook,
  Thread,
  ThreadStateError,
  Timer,
} from "@weft/threads";
import { afterEach, describe, expect, it } from "vitest";

// CPython Lib/test/test_threading.py (ThreadTests, ThreadingExceptionTests, ExceptHookTests, TimerTests),
// mapped to weft's names: is_alive() -> isAlive, join(timeout) -> join({ timeout }) resolving whether the
// thread ended, RuntimeError -> ThreadStateError, threading.excepthook = hook -> setExcepthook(hook).

const threadTasks = new URL("./fixtures/thread-tasks.mjs", import.meta.url);

afterEach(() => {
  setExcepthook(undefined);
});

describe("ThreadTests", () => {
  it("test_various_ops: repr says initial, started IDENT, then stopped IDENT", async () => {
    const release = new Event();
    const t = new Thread({ target: (ev: Event) => ev.wait(), args: [release], name: "ops" });
    expect(String(t)).toBe("Thread(ops, initial)");
    expect(t.ident).toBeUndefined();
    t.start();
    expect(t.ident).toBeGreaterThan(0);
    expect(String(t)).toBe(`Thread(ops, started ${t.ident})`);
    release.set();
    expect(await t.join()).toBe(true);
    expect(String(t)).toBe(`Thread(ops, stopped ${t.ident})`);
  });

  it("test_repr_daemon: a daemon thread's repr says daemon before its ident", async () => {
    const t = new Thread({ target: () => 1, name: "d", daemon: true });
    expect(String(t)).toBe("Thread(d, initial daemon)");
    t.start();
    expect(String(t)).toBe(`Thread(d, started daemon ${t.ident})`);
    await t.join();
    expect(String(t)).toBe(`Thread(d, stopped daemon ${t.ident})`);
  });

  it("test_daemon_param: the daemon option sets the flag; the main thread's creations default to non-daemon", () => {
    expect(new Thread({ target: () => 1 }).daemon).toBe(false);
    expect(new Thread({ target: () => 1, daemon: false }).daemon).toBe(false);
    expect(new Thread({ target: () => 1, daemon: true }).daemon).toBe(true);
  });

  it("ident is kept once the thread ended, and is distinct per thread", async () => {
    const a = new Thread({ target: () => 1 }).start();
    const b = new Thread({ target: () => 2 }).start();
    const [ia, ib] = [a.ident, b.ident];
    await Promise.all([a.join(), b.join()]);
    expect(a.ident).toBe(ia);
    expect(b.ident).toBe(ib);
    expect(ia).not.toBe(ib);
  });

  it("default names count up: Thread-N, Thread-N+1", () => {
    const first = new Thread({ target: () => 1 }).name;
    const second = new Thread({ target: () => 1 }).name;
    const n = Number(/^Thread-(\d+)$/.exec(first)?.[1]);
    expect(second).toBe(`Thread-${n + 1}`);
  });

  it("test_name: an empty name means the default Thread-N (target) name; a given name is kept", () => {
    function func() {}
    expect(new Thread({ target: () => 1, name: "myname1" }).name).toBe("myname1");
    expect(new Thread({ target: func, name: "myname2" }).name).toBe("myname2");
    expect(new Thread({ target: () => 1, name: "" }).name).toMatch(/^Thread-\d+$/);
    expect(new Thread({ target: func, name: "" }).name).toMatch(/^Thread-\d+ \(func\)$/);
    expect(new Timer(10, func, [], { name: "" }).name).toMatch(/^Thread-\d+ \(func\)$/);
    const renamed = new Thread({ target: func });
    renamed.name = ""; // the setter keeps what it is given, as Python's
    expect(renamed.name).toBe("");
  });

  it("test_limbo_cleanup: a thread whose start() failed is not listed and not alive", () => {
    const outer = 5;
    const t = new Thread({ target: () => outer });
    expect(() => t.start()).toThrow(/outer variable `outer`/);
    expect(enumerate()).not.toContain(t);
    expect(t.isAlive).toBe(false);
    expect(String(t)).toMatch(/, initial\)$/);
  });

  it("is_alive turns false when the target returns, without a join", async () => {
    const t = new Thread({ target: () => "quick" }).start();
    expect(t.isAlive).toBe(true);
    const deadline = Date.now() + 30_000;
    while (t.isAlive && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(t.isAlive).toBe(false);
    expect(t.result).toBe("quick");
  });

  it("join(timeout=0) on a running thread returns at once, not ended", async () => {
    const release = new Event();
    const t = new Thread({ target: (ev: Event) => ev.wait(), args: [release] }).start();
    expect(await t.join({ timeout: 0 })).toBe(false);
    expect(t.isAlive).toBe(true);
    release.set();
    expect(await t.join()).toBe(true);
    expect(await t.join({ timeout: 0 })).toBe(true);
  });

  it("join with a negative timeout is refused (Python's join(-1) returns at once; documented difference)", async () => {
    const t = new Thread({ target: () => 1 }).start();
    await expect(t.join({ timeout: -1 })).rejects.toThrow(InvalidTimeoutError);
    expect(await t.join()).toBe(true);
  });

  it("test_enumerate_after_join / active_count: a joined thread is listed no more", async () => {
    const before = activeCount();
    const t = new Thread({ target: () => 1 }).start();
    expect(enumerate()).toContain(t);
    expect(activeCount()).toBe(before + 1);
    await t.join();
    expect(enumerate()).not.toContain(t);
    expect(activeCount()).toBe(before);
  });
});

describe("ThreadingExceptionTests", () => {
  it("test_start_thread_again: starting a finished thread is an error", async () => {
    const t = new Thread({ target: () => 1 }).start();
    await t.join();
    expect(() => t.start()).toThrow(ThreadStateError);
  });

  it("test_joining_current_thread: a thread cannot join itself", async () => {
    await expect(currentThread().join()).rejects.toThrow(ThreadStateError);
    const t = new Thread({ target: { module: threadTasks, export: "joinSelf" } }).start();
    await t.join();
    expect(t.result).toBe("ThreadStateError");
  });

  it("test_joining_inactive_thread: join before start is an error", async () => {
    await expect(new Thread({ target: () => 1 }).join()).rejects.toThrow(ThreadStateError);
    await expect(new Thread({ target: () => 1 }).join({ timeout: 0 })).rejects.toThrow(ThreadStateError);
  });

  it("test_daemonize_active_thread: the daemon flag cannot change once started", async () => {
    const t = new Thread({ target: () => 1 }).start();
    expect(() => {
      t.daemon = true;
    }).toThrow(ThreadStateError);
    await t.join();
    expect(() => {
      t.daemon = true;
    }).toThrow(ThreadStateError);
  });
});

describe("ExceptHookTests", () => {
  function nextHookCall(): Promise<ExceptHookArgs> {
    return new Promise((resolve) => setExcepthook((args) => resolve(args)));
  }

  it("test_system_exit: process.exit() in a thread is not reported to the hook", async () => {
    const calls: ExceptHookArgs[] = [];
    setExcepthook((args) => calls.push(args));
    const t = new Thread({ target: () => process.exit(2) }).start();
    expect(await t.join()).toBe(true);
    expect(t.exitCode).toBe(2);
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toEqual([]);
  });

  it("a Timer whose target fails unjoined goes to the hook, with the Timer as the thread", async () => {
    const called = nextHookCall();
    const timer = new Timer(
      1,
      () => {
        throw new TypeError("timer failed");
      },
      [],
      { name: "failing-timer" },
    );
    timer.start();
    const args = await called;
    expect(args.thread).toBe(timer);
    expect(args.excType).toBe(TypeError);
    expect((args.excValue as Error).message).toBe("timer failed");
  });
});

describe("TimerTests", () => {
  it("a Timer is a Thread: default Thread-N name, alive while waiting, dead after cancel()", async () => {
    const ran = new Event();
    const timer = new Timer(60_000, (ev: Event) => ev.set(), [ran]);
    expect(timer).toBeInstanceOf(Thread);
    expect(timer.name).toMatch(/^Thread-\d+$/);
    expect(timer.isAlive).toBe(false);
    timer.start();
    expect(timer.isAlive).toBe(true);
    expect(enumerate()).toContain(timer);
    expect(timer.cancel()).toBe(true);
    expect(await timer.join({ timeout: 10_000 })).toBe(true);
    expect(timer.isAlive).toBe(false);
    expect(ran.isSet()).toBe(false);
    expect(timer.cancel()).toBe(false);
  });

  it("a Timer's repr names its class, as Python's <Timer(Thread-N, ...)>", async () => {
    const timer = new Timer(60_000, () => 1, [], { name: "reminder" });
    expect(String(timer)).toBe("Timer(reminder, initial)");
    timer.start();
    expect(String(timer)).toBe("Timer(reminder, started)"); // no worker (no ident) until it fires
    timer.cancel();
    await timer.join();
    expect(String(timer)).toBe("Timer(reminder, stopped)");
  });

  it("test_cancel: cancelling twice, or after it fired, changes nothing", async () => {
    const timer = new Timer(1, () => "fired");
    timer.start();
    await timer.join();
    expect(timer.result).toBe("fired");
    expect(timer.cancel()).toBe(false);
    expect(timer.cancel()).toBe(false);
  });
});
