import { describe, expect, it } from "vitest";
import {
  ContextLocal,
  ContextSerializationError,
  InvalidSnapshotError,
  runWith,
  snapshot,
} from "../src/index.js";

const requestId = new ContextLocal<string>({ name: "snap.requestId", propagate: true, default: "none" });
const user = new ContextLocal<{ id: number; roles: string[] }>({
  name: "snap.user",
  propagate: true,
  default: { id: 0, roles: [] },
});
const local = new ContextLocal({ name: "snap.local", default: "not propagated" });

describe("snapshot()", () => {
  it("returns undefined when no propagating ContextLocal is set, even if others are", () => {
    expect(snapshot()).toBeUndefined();
    local.run("x", () => expect(snapshot()).toBeUndefined());
  });

  it("captures only the propagating values that are set", () => {
    const snap = local.run("x", () => requestId.run("r1", () => snapshot()));
    expect(snap).toEqual({ weftContext: 1, names: ["snap.requestId"], values: ["r1"] });
  });

  it("returns undefined again once the propagating value is reset", () => {
    requestId.run("r1", () => {
      const token = requestId.set("r2");
      expect(snapshot()?.values).toEqual(["r2"]);
      requestId.reset(token);
      expect(snapshot()?.values).toEqual(["r1"]);
    });
    expect(snapshot()).toBeUndefined();
  });

  it("returns the same frozen snapshot again while the context holds only primitive values", () => {
    requestId.run("r1", () => {
      const first = snapshot();
      expect(snapshot()).toBe(first);
      expect(Object.isFrozen(first)).toBe(true);
    });
    user.run({ id: 1, roles: [] }, () => expect(snapshot()).not.toBe(snapshot()));
  });

  it("treats two propagating ContextLocals with the same name as one variable", () => {
    const twin = new ContextLocal<string>({
      name: "snap.requestId",
      propagate: true,
      default: "twin default",
    });
    expect(twin.get()).toBe("twin default");
    requestId.run("shared", () => expect(twin.get()).toBe("shared"));
    expect(twin.run("t", () => snapshot())).toEqual({
      weftContext: 1,
      names: ["snap.requestId"],
      values: ["t"],
    });
  });

  it("is structured-cloneable and carries explicit undefined", () => {
    const maybe = new ContextLocal<string | undefined>({ name: "snap.maybe", propagate: true, default: "d" });
    const snap = maybe.run(undefined, () => snapshot());
    const copy = structuredClone(snap);
    expect(copy).toEqual({ weftContext: 1, names: ["snap.maybe"], values: [undefined] });
    expect(runWith(copy, () => maybe.get())).toBeUndefined();
  });

  it("clones object values at snapshot time so later mutation does not reach the task", () => {
    const value = { id: 7, roles: ["admin"] };
    const snap = user.run(value, () => snapshot());
    value.roles.push("root");
    expect(runWith(snap, () => user.get())).toEqual({ id: 7, roles: ["admin"] });
  });

  it("throws ContextSerializationError naming the variable for a function, symbol or uncloneable value", () => {
    const handler = new ContextLocal<unknown>({ name: "snap.handler", propagate: true, default: null });
    for (const bad of [() => 1, Symbol("s"), { nested: { fn: () => 1 } }, new WeakMap()]) {
      handler.run(bad, () => {
        let error: unknown;
        try {
          snapshot();
        } catch (err) {
          error = err;
        }
        expect(error).toBeInstanceOf(ContextSerializationError);
        expect((error as ContextSerializationError).variable).toBe("snap.handler");
        expect((error as Error).message).toContain('"snap.handler"');
      });
    }
  });
});

describe("runWith()", () => {
  it("just calls fn for an undefined snapshot", () => {
    expect(runWith(undefined, () => 42)).toBe(42);
  });

  it("makes the values visible inside fn and restores the previous ones after", () => {
    const snap = requestId.run("r9", () => snapshot());
    requestId.run("outer", () => {
      expect(runWith(snap, () => requestId.get())).toBe("r9");
      expect(requestId.get()).toBe("outer");
    });
    expect(requestId.get()).toBe("none");
  });

  it("fills ContextLocals of the same name constructed later, inside fn", () => {
    const snap = { weftContext: 1 as const, names: ["snap.constructed-later"], values: ["late"] };
    const seen = runWith(snap, () => {
      const later = new ContextLocal({ name: "snap.constructed-later", propagate: true, default: "d" });
      return later.get();
    });
    expect(seen).toBe("late");
  });

  it("keeps non-propagating values of the receiving context and does not leak set() calls out", () => {
    const snap = requestId.run("r5", () => snapshot());
    local.run("receiver", () => {
      runWith(snap, () => {
        expect(local.get()).toBe("receiver");
        local.set("changed");
        requestId.set("changed");
      });
      expect(local.get()).toBe("receiver");
      expect(requestId.get()).toBe("none");
    });
  });

  it("keeps the values for async work started inside fn", async () => {
    const snap = requestId.run("async", () => snapshot());
    const seen = await runWith(snap, async () => {
      await new Promise((r) => setTimeout(r, 2));
      return requestId.get();
    });
    expect(seen).toBe("async");
  });

  it("throws InvalidSnapshotError for something that is not a snapshot", () => {
    expect(() => runWith({ requestId: "x" } as never, () => 1)).toThrow(InvalidSnapshotError);
    expect(() => runWith({ weftContext: 1, names: ["a"], values: [] } as never, () => 1)).toThrow(
      InvalidSnapshotError,
    );
    expect(() => runWith(null as never, () => 1)).toThrow(InvalidSnapshotError);
  });
});
