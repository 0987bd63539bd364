import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import {
  ContextLocal,
  ContextLookupError,
  ContextToken,
  ContextTokenError,
  isolate,
  runWith,
} from "../src/index.js";

describe("ContextLocal get/run", () => {
  it("returns the default outside any run, and the run value inside, also after awaits", async () => {
    const locale = new ContextLocal({ default: "en" });
    expect(locale.get()).toBe("en");
    const seen = await locale.run("fr", async () => {
      const first = locale.get();
      await sleep(1);
      return [first, locale.get()];
    });
    expect(seen).toEqual(["fr", "fr"]);
    expect(locale.get()).toBe("en");
  });

  it("throws ContextLookupError naming the variable when unset and without a default", () => {
    const tenant = new ContextLocal<string>({ name: "tenant" });
    expect(() => tenant.get()).toThrow(ContextLookupError);
    expect(() => tenant.get()).toThrow(/"tenant"/);
    expect(tenant.run("acme", () => tenant.get())).toBe("acme");
  });

  it("treats default: undefined and set(undefined) as real values", () => {
    const maybe = new ContextLocal<string | undefined>({ default: undefined });
    expect(maybe.get()).toBeUndefined();
    const strict = new ContextLocal<string | undefined>({});
    strict.run(undefined, () => {
      expect(strict.isSet()).toBe(true);
      expect(strict.get()).toBeUndefined();
    });
    expect(strict.isSet()).toBe(false);
  });

  it("nests runs, inner value shadowing outer and outer restored after", () => {
    const depth = new ContextLocal({ default: 0 });
    depth.run(1, () => {
      depth.run(2, () => expect(depth.get()).toBe(2));
      expect(depth.get()).toBe(1);
    });
    expect(depth.get()).toBe(0);
  });

  it("keeps values of different ContextLocals independent", () => {
    const a = new ContextLocal({ default: "a0" });
    const b = new ContextLocal({ default: "b0" });
    a.run("a1", () => {
      expect(b.get()).toBe("b0");
      b.run("b1", () => expect([a.get(), b.get()]).toEqual(["a1", "b1"]));
    });
  });

  it("restores the previous value when run's fn throws", () => {
    const v = new ContextLocal({ default: 0 });
    expect(() =>
      v.run(1, () => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(v.get()).toBe(0);
  });
});

describe("ContextLocal set/reset tokens", () => {
  it("sets the value for the rest of the context and resets it with the token", () => {
    const user = new ContextLocal({ default: "anonymous" });
    isolate(() => {
      const token = user.set("ada");
      expect(user.get()).toBe("ada");
      expect(token.oldValue).toBe(ContextToken.MISSING);
      const token2 = user.set("grace");
      expect(token2.oldValue).toBe("ada");
      user.reset(token2);
      expect(user.get()).toBe("ada");
      user.reset(token);
      expect(user.get()).toBe("anonymous");
      expect(user.isSet()).toBe(false);
    });
  });

  it("does not let set() inside run() leak out of it", () => {
    const user = new ContextLocal({ default: "anonymous" });
    user.run("outer", () => {
      user.set("changed-inside");
    });
    expect(user.get()).toBe("anonymous");
  });

  it("throws a clear ContextTokenError when a token is used twice", () => {
    const user = new ContextLocal({ default: "anonymous" });
    isolate(() => {
      const token = user.set("ada");
      user.reset(token);
      expect(token.used).toBe(true);
      expect(() => user.reset(token)).toThrow(ContextTokenError);
      expect(() => user.reset(token)).toThrow(/already been used/);
    });
  });

  it("throws a clear ContextTokenError for a token of another ContextLocal, and leaves the token usable", () => {
    const user = new ContextLocal({ default: "anonymous" });
    const other = new ContextLocal({ default: "x" });
    isolate(() => {
      const token = user.set("ada");
      expect(() => other.reset(token as never)).toThrow(/another ContextLocal/);
      expect(token.used).toBe(false);
      user.reset(token);
      expect(user.get()).toBe("anonymous");
    });
  });

  it("rejects a token created in a different context", () => {
    const user = new ContextLocal({ default: "anonymous" });
    isolate(() => {
      const token = user.run("x", () => user.set("inner"));
      expect(() => user.reset(token)).toThrow(/different context/);
    });
  });

  it("rejects something that is not a token", () => {
    const user = new ContextLocal({ name: "user", default: "anonymous" });
    expect(() => user.reset({} as never)).toThrow(/needs the token returned by/);
  });

  it("resets at the end of a using block", () => {
    const user = new ContextLocal({ default: "anonymous" });
    isolate(() => {
      {
        using _token = user.set("ada");
        expect(user.get()).toBe("ada");
      }
      expect(user.get()).toBe("anonymous");
    });
  });

  it("keeps a value set before an await for the rest of that async function", async () => {
    const user = new ContextLocal({ default: "anonymous" });
    await isolate(async () => {
      user.set("ada");
      await sleep(1);
      expect(user.get()).toBe("ada");
    });
    expect(user.get()).toBe("anonymous");
  });
});

describe("ContextLocal options", () => {
  it("requires a name when propagate is true", () => {
    expect(() => new ContextLocal({ propagate: true })).toThrow(/needs a name/);
  });

  it("rejects unknown options, empty names and non-boolean propagate", () => {
    expect(() => new ContextLocal({ defualt: 1 } as never)).toThrow(/unknown option "defualt"/);
    expect(() => new ContextLocal({ name: "" })).toThrow(/non-empty string/);
    expect(() => new ContextLocal({ name: "x", propagate: "yes" } as never)).toThrow(
      /propagate must be a boolean/,
    );
    expect(() => new ContextLocal(null as never)).toThrow(/options must be an object/);
  });

  it("rejects a run()/isolate()/runWith() callback that is not a function", () => {
    const v = new ContextLocal({ name: "v", default: 0 });
    expect(() => v.run(1, "nope" as never)).toThrow(/fn must be a function, got string/);
    expect(() => isolate(undefined as never)).toThrow(/fn must be a function/);
    expect(() => runWith(undefined, 3 as never)).toThrow(/fn must be a function, got number/);
  });

  it("exposes its name and propagate flag", () => {
    const v = new ContextLocal({ name: "traceId", propagate: true, default: "" });
    expect(v.name).toBe("traceId");
    expect(v.propagate).toBe(true);
    expect(new ContextLocal({ default: 0 }).name).toMatch(/^ContextLocal#\d+$/);
  });
});
