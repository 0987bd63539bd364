import { ClosureError, Thread } from "@weft/threads";
import { describe, expect, it } from "vitest";
import { thrownBy } from "./thrown-by.js";

// Function targets as compilers emit them. Each text is the compiler's real output (noted above it) for a
// self-contained function; evaluating it in the global scope gives the function object an app would pass.
const compiled = (text: string): ((...args: never[]) => unknown) => new Function(`return (${text});`)();

async function run(target: (...args: never[]) => unknown, args: unknown[]): Promise<unknown> {
  const thread = new Thread({ target, args: args as never[] }).start();
  await thread.join();
  return thread.result;
}

describe("function targets compiled with the compilers' own helpers", () => {
  it("esbuild --minify --keep-names: its __name helper, renamed, is recognised and provided", async () => {
    // esbuild --minify --keep-names of
    //   export const task = (n) => { const sq = (x) => x * x; function inc(y) { return y + 1; } return inc(sq(n)); };
    const task = compiled('r=>{const c=t(n=>n*n,"sq");function o(n){return n+1}return t(o,"inc"),o(c(r))}');
    expect(await run(task, [6])).toBe(37);
  });

  it("a renamed __name helper sets the names it is given, as esbuild's does", async () => {
    const task = compiled('()=>{const c=t(n=>n,"square");function o(){}return t(o,"inc"),[c.name,o.name]}');
    expect(await run(task, [])).toEqual(["square", "inc"]);
  });

  it("esbuild --minify --keep-names: a class named in its static block by the renamed helper", async () => {
    // esbuild --minify --keep-names of
    //   export const boxed = (x) => { class Box { static made = 0; #v; constructor(v) { this.#v = v; Box.made++; }
    //     get v() { return this.#v; } } const Other = class {}; return [new Box(x).v + Box.made, Box.name, Other.name]; };
    const boxed = compiled(
      'c=>{class s{static{t(this,"Box")}static made=0;#s;constructor(n){this.#s=n,s.made++}get v(){return this.#s}}const o=class{static{t(this,"Other")}};return[new s(c).v+s.made,s.name,o.name]}',
    );
    expect(await run(boxed, [5])).toEqual([6, "Box", "Other"]);
  });

  it("`this` given to an outer function outside a static block is still an outer variable", () => {
    const error = thrownBy(() => new Thread({ target: compiled('function(){return t(this,"a")}') }).start());
    expect(error).toBeInstanceOf(ClosureError);
    expect((error as ClosureError).variables).toEqual(["t"]);
  });

  it("an outer function called otherwise is still an outer variable", () => {
    const error = thrownBy(() => new Thread({ target: compiled('()=>t(1,"a")+t(()=>1)') }).start());
    expect(error).toBeInstanceOf(ClosureError);
    expect((error as ClosureError).variables).toEqual(["t"]);
  });

  it("TypeScript target below ES2017: __awaiter (and __rest) are provided", async () => {
    // tsc --target ES2015 of
    //   async function twice(n: number) { await null; const { a, ...rest } = { a: 1, b: n }; return rest.b * 2; }
    const twice = compiled(`function twice(n) {
    return __awaiter(this, void 0, void 0, function* () { yield null; const _a = { a: 1, b: n }, { a } = _a, rest = __rest(_a, ["a"]); return rest.b * 2; });
}`);
    expect(await run(twice, [21])).toBe(42);
  });

  it("esbuild target below es2017: __async is provided", async () => {
    // esbuild --target=es2016 of  const later = async (n) => { await null; return n * 2; };
    const later = compiled(`(n) => __async(null, null, function* () {
  yield null;
  return n * 2;
})`);
    expect(await run(later, [4])).toBe(8);
  });

  it("a helper that is not provided is refused naming the compiler setting that causes it", () => {
    // tsc --target ES5 lowers generators to __generator.
    const es5 = compiled(`function twice(n) {
    return __awaiter(this, void 0, void 0, function () { return __generator(this, function (_b) { return [2, n * 2]; }); });
}`);
    const error = thrownBy(() => new Thread({ target: es5 }).start());
    expect(error).toBeInstanceOf(ClosureError);
    expect((error as ClosureError).variables).toEqual(["__generator"]);
    expect(error.message).toContain("TypeScript's `target` below ES2015");
    const lowered = compiled("() => __privateGet(this, _x)");
    expect(thrownBy(() => new Thread({ target: lowered }).start()).message).toContain(
      "esbuild's `target` below es2022",
    );
  });
});
