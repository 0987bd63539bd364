import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeTarget } from "../src/extension.js";
import { ClosureError, ThreadError } from "../src/index.js";

function closureVariables(fn: Function): readonly string[] {
  try {
    describeTarget(fn as never);
  } catch (error) {
    if (error instanceof ClosureError) return error.variables;
    throw error;
  }
  return [];
}

// Evaluates source text as a function without the test file's transforms (so names stay as written).
const compile = (source: string): Function => new Function(`return (${source});`)();

describe("closure detection", () => {
  it("names an outer variable and says how to fix it", () => {
    const limit = 3;
    const fn = (n: number) => n < limit;
    expect(closureVariables(fn)).toEqual(["limit"]);
    expect(() => describeTarget(fn as never)).toThrow(/`limit`.*argument.*module/s);
  });

  it("names an imported binding even after vitest rewrote it", () => {
    const fn = () => ThreadError.name;
    expect(closureVariables(fn)).toEqual(["ThreadError"]);
    expect(() => describeTarget(fn as never)).toThrow(
      /which vitest compiled to __vite_ssr_import_\d+__\.ThreadError/,
    );
  });

  it("reports writes to outer variables, in order of first use, each once", () => {
    expect(
      closureVariables(compile("() => { counter++; total += counter; ({ a: other } = {}); counter = 0; }")),
    ).toEqual(["counter", "total", "other"]);
  });

  it("allows language built-ins and Node globals", () => {
    const fn = compile(`async (n) => {
      const buf = Buffer.from(JSON.stringify({ n: Math.max(n, 1) }));
      const shared = new Int32Array(new SharedArrayBuffer(4));
      Atomics.add(shared, 0, 1);
      await new Promise((r) => setTimeout(r, 1));
      console.log(process.pid, new URL("file:///x").href, structuredClone([1]), typeof globalThis, undefined, NaN);
      return buf.length + Number(Infinity > 0);
    }`);
    expect(closureVariables(fn)).toEqual([]);
    // An arrow's `arguments` belongs to the enclosing function, which the thread does not have.
    expect(closureVariables(compile("() => arguments[0]"))).toEqual(["arguments"]);
  });

  it("understands every way of declaring a name inside the function", () => {
    const fn = compile(
      `function outer(a, { b, c: [d = a] }, ...rest) {
      var hoisted;
      if (a) { var late = 1; function nested() { return late + hoisted; } }
      let x = 1; const y = 2;
      class Local { method() { return Local; } static field = 1; }
      try { throw 1; } catch ({ message }) { x = message; }
      for (const item of rest) x += item;
      for (let i = 0; i < 2; i++) x += i;
      for (var k in b) x += k;
      label: for (;;) { break label; }
      const obj = { key: x, [y]: d, method() { return this.key; }, shorthand: c };
      switch (x) { case 1: let inCase = 2; x = inCase; }
      const recurse = function self(n) { return n > 0 ? self(n - 1) : arguments.length; };
      return [obj.key, nested, recurse, typeof lateFn, new.target, import.meta];
      function lateFn() {}
    }`.replace("import.meta", "0"),
    );
    expect(closureVariables(fn)).toEqual(["c"]);
  });

  it("keeps block scopes: a name declared in an inner block is free outside it", () => {
    expect(closureVariables(compile("(x) => { { let y = 1; } return y; }"))).toEqual(["y"]);
    expect(closureVariables(compile("(x) => { try {} catch (e) {} return e; }"))).toEqual(["e"]);
    expect(closureVariables(compile("(x) => { for (let i of x) {} return i; }"))).toEqual(["i"]);
  });

  it("reports import.meta, which only its module has, and allows new.target", () => {
    const fn = function usesMeta() {
      return [import.meta.url, new.target];
    };
    expect(closureVariables(fn)).toEqual(["import.meta"]);
    expect(() => describeTarget(fn as never)).toThrow(/pass import\.meta\.url as an argument/);
  });

  it("treats default parameter values and computed keys as uses", () => {
    expect(closureVariables(compile("(a = fallback, { [key]: b } = {}) => a + b"))).toEqual([
      "fallback",
      "key",
    ]);
  });

  it("accepts compiler helpers the thread provides (__name, vitest's dynamic import)", () => {
    const fn = compile(`function task() {
      const inner = __name(() => 1, "inner");
      return __vite_ssr_dynamic_import__("node:os").then(() => inner());
    }`);
    expect(closureVariables(fn)).toEqual([]);
  });

  it("explains compiler helpers it cannot provide and CommonJS variables", () => {
    const withUsing = compile(
      `function task() { var _stack = []; const r = __using(_stack, {}); __callDispose(_stack); }`,
    );
    expect(closureVariables(withUsing)).toEqual(["__using", "__callDispose"]);
    expect(() => describeTarget(withUsing as never)).toThrow(/helper that esbuild.s `target` below esnext/);
    expect(() => describeTarget(compile("() => __unknownHelper()") as never)).toThrow(/helper your compiler/);
    expect(() => describeTarget(compile("() => require('node:fs')") as never)).toThrow(
      /CommonJS module variable/,
    );
  });

  it("property: names bound as parameters are never reported, names left unbound always are", () => {
    const identifier = fc.stringMatching(/^[a-z]{1,3}[A-Z][a-z]{0,3}$/);
    fc.assert(
      fc.property(fc.uniqueArray(identifier, { minLength: 1, maxLength: 6 }), fc.nat(), (names, split) => {
        const cut = split % (names.length + 1);
        const bound = names.slice(0, cut);
        const free = names.slice(cut);
        const body = names.map((n, i) => (i % 2 === 0 ? `${n}` : `${n}.x`)).join(" + ");
        const fn = compile(`(${bound.join(", ")}) => { const local = 1; return ${body} + local; }`);
        expect(closureVariables(fn)).toEqual(free);
      }),
      { numRuns: 200 },
    );
  });
});
