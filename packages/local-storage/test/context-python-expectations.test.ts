import { describe, expect, it } from "vitest";
import { ContextLocal, ContextLookupError, ContextToken, ContextTokenError, isolate } from "../src/index.js";

// CPython Lib/test/test_context.py (ContextTest: the ContextVar and Token checks), mapped to weft:
// ContextVar -> ContextLocal, Token.var / old_value / MISSING -> variable / oldValue / ContextToken.MISSING,
// copy_context().run(fn) and Context().run(fn) -> isolate(fn), LookupError -> ContextLookupError, RuntimeError
// and ValueError of reset() -> ContextTokenError, `with var.set(v):` (3.14) -> `using _ = var.set(v)`.

describe("ContextTest", () => {
  it("test_context_getset_1: set/reset, old values, MISSING, a used token refused, an earlier token still good", () => {
    isolate(() => {
      const c = new ContextLocal<unknown>({ name: "c" });
      expect(() => c.get()).toThrow(ContextLookupError);
      const t0 = c.set(42);
      expect(c.get()).toBe(42);
      expect(t0.oldValue).toBe(ContextToken.MISSING);
      expect(t0.variable).toBe(c);
      const t = c.set("spam");
      expect(c.get()).toBe("spam");
      expect(t.oldValue).toBe(42);
      c.reset(t);
      expect(c.get()).toBe(42);
      c.set("spam2");
      expect(() => c.reset(t)).toThrow(ContextTokenError);
      expect(c.get()).toBe("spam2");
      c.reset(t0);
      expect(() => c.reset(t0)).toThrow(ContextTokenError);
      expect(c.isSet()).toBe(false);
      expect(() => c.get()).toThrow(ContextLookupError);
    });
  });

  it("test_context_getset_1 (get(default)): get(fallback) gives the fallback only while the variable has no value", () => {
    isolate(() => {
      const c = new ContextLocal<number>({ name: "c" });
      expect(c.get(undefined)).toBeUndefined(); // Python: self.assertIsNone(c.get(None))
      expect(c.get(null)).toBeNull();
      expect(() => c.get()).toThrow(ContextLookupError);
      const t0 = c.set(42);
      expect(c.get(undefined)).toBe(42);
      c.reset(t0);
      expect(c.get(undefined)).toBeUndefined();
    });
  });

  it("get(default) comes before the variable's own default (contextvars docs: the method's default first)", () => {
    const c = new ContextLocal<number>({ name: "c", default: 42 });
    expect(c.get()).toBe(42);
    expect(c.get(7)).toBe(7);
    expect(c.get(undefined)).toBeUndefined();
    c.run(1, () => expect(c.get(7)).toBe(1));
    const u = new ContextLocal<number | undefined>({ name: "u" });
    u.run(undefined, () => expect(u.get(7)).toBeUndefined()); // a value of undefined is a value
  });

  it("test_context_getset_2: a token of another variable is refused", () => {
    isolate(() => {
      const v1 = new ContextLocal<number>({ name: "v1" });
      const v2 = new ContextLocal<number>({ name: "v2" });
      const t = v1.set(42);
      expect(() => v2.reset(t as never)).toThrow(ContextTokenError);
      v1.reset(t);
    });
  });

  it("test_context_getset_3: after resetting the first set(), the variable has no value of its own again", () => {
    const c = new ContextLocal<number>({ name: "c", default: 42 });
    isolate(() => {
      expect(c.get()).toBe(42);
      expect(c.isSet()).toBe(false);
      const t = c.set(1);
      expect(c.isSet()).toBe(true);
      expect(c.get()).toBe(1);
      c.reset(t);
      expect(c.isSet()).toBe(false);
      expect(c.get()).toBe(42);
    });
  });

  it("test_context_getset_4: a token made in another context cannot reset here", () => {
    const c = new ContextLocal<number>({ name: "c", default: 42 });
    const tok = isolate(() => c.set(1));
    expect(() => c.reset(tok)).toThrow(ContextTokenError);
    expect(c.get()).toBe(42);
  });

  it("test_context_getset_5: a set() inside a copied context leaves the outer value alone", () => {
    const c = new ContextLocal<number[]>({ name: "c", default: [42] });
    isolate(() => {
      c.set([]);
      isolate(() => {
        c.set([]);
        c.get().push(42);
        expect(c.get()).toEqual([42]);
      });
      expect(c.get()).toEqual([]);
    });
  });

  it("test_context_run_5: an error thrown by the function passes through and the outer context is unchanged", () => {
    const c = new ContextLocal<string>({ name: "c", default: "outer" });
    expect(() =>
      isolate(() => {
        c.set("inner");
        throw new RangeError("ZeroDivisionError");
      }),
    ).toThrow(RangeError);
    expect(c.get()).toBe("outer");
  });

  it("a token made in a nested run() cannot reset the variable in the outer context", () => {
    const c = new ContextLocal<number>({ name: "c", default: 0 });
    isolate(() => {
      let inner: ContextToken<number> | undefined;
      c.run(5, () => {
        inner = c.set(6);
      });
      expect(() => c.reset(inner!)).toThrow(ContextTokenError);
    });
  });

  it("test_token_contextmanager_with_default: using var.set(v) puts the default back at the end", () => {
    const c = new ContextLocal<number>({ name: "c", default: 42 });
    isolate(() => {
      {
        using _ = c.set(36);
        expect(c.get()).toBe(36);
      }
      expect(c.get()).toBe(42);
    });
  });

  it("test_token_contextmanager_without_default: after using var.set(v), get() raises again", () => {
    const c = new ContextLocal<number>({ name: "c" });
    isolate(() => {
      {
        using _ = c.set(36);
        expect(c.get()).toBe(36);
      }
      expect(() => c.get()).toThrow(ContextLookupError);
    });
  });

  it("using var.set(v) whose token a reset() inside used: the end of the block does nothing (documented difference)", () => {
    // Python 3.14's Token.__exit__ calls reset() and raises RuntimeError for a used token; weft's disposer
    // does nothing then (README "Differences from Python").
    const c = new ContextLocal<number>({ name: "c", default: 0 });
    isolate(() => {
      {
        using token = c.set(1);
        c.reset(token);
        c.set(2);
      }
      expect(c.get()).toBe(2);
    });
  });

  it("a value set to undefined is a value: the next token's oldValue is undefined, not MISSING", () => {
    const c = new ContextLocal<number | undefined>({ name: "c" });
    isolate(() => {
      c.set(undefined);
      const t = c.set(1);
      expect(t.oldValue).toBeUndefined();
      c.reset(t);
      expect(c.isSet()).toBe(true);
      expect(c.get()).toBeUndefined();
    });
  });

  it("a reset() after an await in the same async function works (one task, one context)", async () => {
    const c = new ContextLocal<number>({ name: "c", default: 0 });
    await isolate(async () => {
      const t = c.set(1);
      await new Promise((r) => setTimeout(r, 1));
      expect(c.get()).toBe(1);
      c.reset(t);
      expect(c.get()).toBe(0);
    });
  });
});
