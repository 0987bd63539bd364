import { Event } from "@weft/sync";
import { currentThread, enumerate, mainThread, Thread } from "@weft/threads";
import { describe, expect, it } from "vitest";

const threadTasks = new URL("./fixtures/thread-tasks.mjs", import.meta.url);

describe("currentThread, mainThread, enumerate", () => {
  it("in the main thread, currentThread() is mainThread()", () => {
    expect(currentThread()).toBe(mainThread());
    expect(mainThread().name).toBe("MainThread");
    expect(mainThread().ident).toBe(0);
    expect(mainThread().isAlive).toBe(true);
    expect(mainThread().daemon).toBe(false);
    expect(() => mainThread().start()).toThrow(/already been started/);
  });

  it("inside a thread, currentThread() describes that thread and mainThread() the main one", async () => {
    const t = new Thread({
      target: { module: threadTasks, export: "whoAmI" },
      name: "inspector",
      daemon: true,
    });
    t.start();
    await t.join();
    expect(t.result).toEqual({
      name: "inspector",
      ident: t.ident,
      daemon: true,
      alive: true,
      main: "MainThread",
      mainIdent: 0,
    });
  });

  it("threads started in threads inherit daemon, and mainThread() is still the process's main thread", async () => {
    const t = new Thread({
      target: { module: threadTasks, export: "nested" },
      args: [1],
      name: "outer",
    }).start();
    await t.join();
    const { outer, inner } = t.result as { outer: string; inner: Record<string, unknown> };
    expect(outer).toBe("outer");
    expect(inner).toMatchObject({ name: "inner-1", main: "MainThread", mainIdent: 0, daemon: false });
  });

  it("enumerate() lists the live threads started here, and drops them when they end", async () => {
    const release = new Event();
    const threads = [1, 2, 3].map((i) =>
      new Thread({ target: (ev: Event) => ev.wait(), args: [release], name: `e${i}` }).start(),
    );
    const names = enumerate().map((t) => t.name);
    expect(names[0]).toBe("MainThread");
    expect(names).toEqual(expect.arrayContaining(["e1", "e2", "e3"]));
    release.set();
    for (const t of threads) await t.join();
    expect(enumerate().filter((t) => t.name.startsWith("e"))).toEqual([]);
  });

  it("a thread waits for the non-daemon threads it started before it ends", async () => {
    const childDone = new Event();
    const t = new Thread({
      target: { module: threadTasks, export: "startsChildAndReturns" },
      args: [childDone],
    });
    t.start();
    await t.join();
    expect(t.result).toBe("parent returned");
    expect(childDone.isSet()).toBe(true);
  });
});
