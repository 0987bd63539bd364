import { describe, expect, it, vi } from "vitest";
import { ThreadLocal } from "../src/index.js";

describe("ThreadLocal in one thread", () => {
  it("creates the value lazily, once, on the first get()", () => {
    const init = vi.fn(() => ({ hits: 0 }));
    const local = new ThreadLocal({ init });
    expect(init).not.toHaveBeenCalled();
    expect(local.has()).toBe(false);
    local.get().hits++;
    local.get().hits++;
    expect(init).toHaveBeenCalledTimes(1);
    expect(local.get().hits).toBe(2);
    expect(local.has()).toBe(true);
  });

  it("shares one value between async flows of the same thread", async () => {
    const local = new ThreadLocal({ init: () => [] as number[] });
    await Promise.all(
      [1, 2, 3].map(async (n) => {
        await new Promise((r) => setTimeout(r, n));
        local.get().push(n);
      }),
    );
    expect(local.get().sort()).toEqual([1, 2, 3]);
  });

  it("retries init on the next get() when init throws", () => {
    let calls = 0;
    const local = new ThreadLocal({
      init: () => {
        calls++;
        if (calls === 1) throw new Error("first init fails");
        return "ok";
      },
    });
    expect(() => local.get()).toThrow("first init fails");
    expect(local.has()).toBe(false);
    expect(local.get()).toBe("ok");
  });

  it("set() replaces the value without calling init", () => {
    const init = vi.fn(() => 1);
    const local = new ThreadLocal({ init });
    local.set(5);
    expect(local.get()).toBe(5);
    expect(init).not.toHaveBeenCalled();
  });

  it("delete() disposes the value and the next get() initialises again", () => {
    const dispose = vi.fn();
    let n = 0;
    const local = new ThreadLocal({ init: () => ++n, dispose });
    expect(local.delete()).toBe(false);
    expect(local.get()).toBe(1);
    expect(local.delete()).toBe(true);
    expect(dispose).toHaveBeenCalledWith(1);
    expect(local.get()).toBe(2);
  });

  it("disposes the value at the end of a using block", () => {
    const dispose = vi.fn();
    {
      using local = new ThreadLocal({ init: () => "conn", dispose });
      local.get();
    }
    expect(dispose).toHaveBeenCalledWith("conn");
  });

  it("reports an init that reads its own ThreadLocal instead of recursing", () => {
    const local: ThreadLocal<number> = new ThreadLocal({ init: () => local.get() + 1 });
    expect(() => local.get()).toThrow(/init must not call get/);
  });

  it("rejects a missing init or a non-function dispose", () => {
    expect(() => new ThreadLocal({} as never)).toThrow(/init must be a function/);
    expect(() => new ThreadLocal({ init: () => 1, dispose: 3 as never })).toThrow(
      /dispose must be a function/,
    );
  });

  it("rejects an unknown option key (a misspelt dispose would never run)", () => {
    expect(() => new ThreadLocal({ init: () => 1, dipose: () => {} } as never)).toThrow(
      new TypeError(
        'new ThreadLocal options: unknown option "dipose" (did you mean "dispose"?); valid options: init, dispose',
      ),
    );
  });
});
