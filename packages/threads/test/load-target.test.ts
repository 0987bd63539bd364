import { describe, expect, it } from "vitest";
import { describeTarget, loadTarget, type TargetSpec } from "../src/extension.js";
import { TargetLoadError } from "../src/index.js";

const tasks = new URL("./fixtures/tasks.mjs", import.meta.url);

describe("loadTarget", () => {
  it("imports a module export and the default export", async () => {
    const add = await loadTarget(describeTarget({ module: tasks, export: "add" }));
    expect(add(2, 3)).toBe(5);
    const greet = await loadTarget(describeTarget({ module: tasks }));
    expect(greet("weft")).toBe("hello weft");
  });

  it("loads Node built-in exports", async () => {
    const cpus = await loadTarget(describeTarget({ module: "node:os", export: "cpus" }));
    expect(Array.isArray(cpus())).toBe(true);
  });

  it("evaluates function source, method shorthand included", async () => {
    const square = await loadTarget(describeTarget(((n: number) => n * n) as never));
    expect(square(7)).toBe(49);
    const holder = {
      async twice(s: string) {
        return s + s;
      },
    };
    const twice = await loadTarget(describeTarget(holder.twice as never));
    expect(await twice("ab")).toBe("abab");
  });

  it("provides __name for keepNames output", async () => {
    const source = `function task() { const inner = __name(() => 41, "inner"); return inner.name + ":" + (inner() + 1); }`;
    const fn = await loadTarget({ kind: "source", source: `(${source})`, name: "task" });
    expect(fn()).toBe("inner:42");
  });

  it("caches per spec and does not cache failures", async () => {
    const spec = describeTarget({ module: tasks, export: "add" });
    expect(loadTarget(spec)).toBe(loadTarget({ ...spec }));
    const bad: TargetSpec = { kind: "module", url: tasks.href, exportName: "nope" };
    const first = loadTarget(bad);
    await expect(first).rejects.toThrow(TargetLoadError);
    expect(loadTarget(bad)).not.toBe(first);
    await loadTarget(bad).catch(() => {});
  });

  it("reports a missing export with the module's function exports", async () => {
    await expect(loadTarget({ kind: "module", url: tasks.href, exportName: "nope" })).rejects.toThrow(
      /has no export "nope"; its function exports are: add, default, slowEcho/,
    );
  });

  it("reports an export that is not a function", async () => {
    await expect(loadTarget({ kind: "module", url: tasks.href, exportName: "notAFunction" })).rejects.toThrow(
      /"notAFunction" .* is a number, not a function/,
    );
  });

  it("wraps import failures with the module URL and the cause", async () => {
    const url = new URL("./fixtures/absent.mjs", import.meta.url).href;
    const error = await loadTarget({ kind: "module", url, exportName: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetLoadError);
    expect((error as Error).message).toContain(url);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it("rejects source that is not a function and specs that were not made by describeTarget", async () => {
    await expect(loadTarget({ kind: "source", source: "(42)", name: "x" })).rejects.toThrow(
      /evaluated to a number/,
    );
    await expect(loadTarget({ kind: "source", source: "(((", name: "x" })).rejects.toThrow(/Cannot evaluate/);
    await expect(loadTarget({ kind: "other" } as never)).rejects.toThrow(/describeTarget/);
  });
});
