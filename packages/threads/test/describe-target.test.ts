import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { describeTarget } from "../src/extension.js";
import { TargetError } from "../src/index.js";

const tasks = new URL("./fixtures/tasks.mjs", import.meta.url);

describe("describeTarget: function targets", () => {
  it("sends arrows, functions, async and generator functions as evaluable source", () => {
    const cases: Function[] = [
      (a: number, b: number) => a + b,
      async (a: number) => a,
      function plain(a: number) {
        return a;
      },
      async function asyncNamed() {
        return 1;
      },
      function* gen() {
        yield 1;
      },
    ];
    for (const fn of cases) {
      const spec = describeTarget(fn as never);
      expect(spec.kind).toBe("source");
      if (spec.kind !== "source") continue;
      expect(spec.name).toBe(fn.name);
      // The source must evaluate back to a function with the same behaviour.
      const revived = new Function(`return ${spec.source}`)();
      expect(typeof revived).toBe("function");
      expect(revived.toString()).toBe(fn.toString());
    }
  });

  it("accepts method shorthand, including async and computed-key methods", async () => {
    const holder = {
      double(n: number) {
        return n * 2;
      },
      async later(n: number) {
        return n + 1;
      },
      [Symbol.for("weft.test")](n: number) {
        return -n;
      },
    };
    for (const [fn, input, output] of [
      [holder.double, 4, 8],
      [holder.later, 1, 2],
      [holder[Symbol.for("weft.test")], 3, -3],
    ] as const) {
      const spec = describeTarget(fn as never);
      if (spec.kind !== "source") throw new Error("expected source");
      const revived = new Function(`return ${spec.source}`)();
      expect(await revived(input)).toBe(output);
    }
  });

  it("caches the spec per function", () => {
    const fn = (n: number) => n;
    expect(describeTarget(fn as never)).toBe(describeTarget(fn as never));
  });

  it("rejects bound, built-in and class targets, and getters", () => {
    const bound = ((n: number) => n).bind(null);
    expect(() => describeTarget(bound as never)).toThrow(TargetError);
    expect(() => describeTarget(Math.max as never)).toThrow(/bound or built-in/);
    class Task {}
    expect(() => describeTarget(Task as never)).toThrow(/is a class/);
    const getter = Object.getOwnPropertyDescriptor(
      {
        get value() {
          return 1;
        },
      },
      "value",
    )?.get;
    expect(() => describeTarget(getter as never)).toThrow(/getter or setter/);
  });

  it("rejects values that are neither functions nor module targets", () => {
    for (const bad of [42, "task.js", null, undefined, true]) {
      expect(() => describeTarget(bad as never)).toThrow(TargetError);
    }
  });
});

describe("describeTarget: module targets", () => {
  it("resolves URL objects, file URL strings and absolute paths to the same file URL", () => {
    const path = fileURLToPath(tasks);
    for (const module of [tasks, tasks.href, path]) {
      expect(describeTarget({ module, export: "add" })).toEqual({
        kind: "module",
        url: tasks.href,
        exportName: "add",
      });
    }
  });

  it("defaults the export to 'default'", () => {
    expect(describeTarget({ module: tasks })).toMatchObject({ exportName: "default" });
  });

  it("keeps Node built-ins as node: specifiers", () => {
    expect(describeTarget({ module: "os", export: "cpus" })).toMatchObject({ url: "node:os" });
    expect(describeTarget({ module: "node:os", export: "cpus" })).toMatchObject({ url: "node:os" });
  });

  it("resolves package specifiers from the working directory", () => {
    const spec = describeTarget({ module: "acorn", export: "parse" });
    expect(spec.kind === "module" && spec.url.startsWith("file:")).toBe(true);
    expect(() => describeTarget({ module: "no-such-package-weft", export: "x" })).toThrow(
      /import\.meta\.resolve/,
    );
  });

  it("rejects relative specifiers, missing files, bad exports and unknown keys with what to do", () => {
    expect(() => describeTarget({ module: "./fixtures/tasks.mjs" })).toThrow(
      /new URL\("\.\/fixtures\/tasks\.mjs", import\.meta\.url\)/,
    );
    const missing = pathToFileURL("/definitely/not/here.mjs");
    expect(() => describeTarget({ module: missing })).toThrow(/does not exist/);
    expect(() => describeTarget({ module: tasks, export: "" })).toThrow(/non-empty string/);
    expect(() => describeTarget({ module: tasks, export: 3 } as never)).toThrow(TargetError);
    expect(() => describeTarget({ module: tasks, exports: "add" } as never)).toThrow(/unexpected "exports"/);
    expect(() => describeTarget({ module: 7 } as never)).toThrow(/needs `module`/);
    expect(() => describeTarget({ module: "" })).toThrow(/empty string/);
  });
});

describe("describeTarget: caching", () => {
  it("a fresh closure with the same source and name reuses the spec (no re-parse per task)", () => {
    const make = () => (n: number) => n + 1;
    expect(describeTarget(make() as never)).toBe(describeTarget(make() as never));
  });

  it("a fresh { module, export } literal for the same module reuses the spec", () => {
    const spec = describeTarget({ module: tasks, export: "add" });
    expect(describeTarget({ module: new URL(tasks.href), export: "add" })).toBe(spec);
    expect(describeTarget({ module: tasks.href, export: "add" })).toBe(spec);
    expect(describeTarget({ module: tasks, export: "slowEcho" })).not.toBe(spec);
  });

  it("does not cache failures: a function that is not self-contained fails every time", () => {
    const outer = 1;
    const make = () => (n: number) => n + outer;
    expect(() => describeTarget(make() as never)).toThrow(/`outer`/);
    expect(() => describeTarget(make() as never)).toThrow(/`outer`/);
  });
});
