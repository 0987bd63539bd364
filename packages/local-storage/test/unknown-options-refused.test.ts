import { describe, expect, it } from "vitest";
import { ContextLocal, ThreadLocal } from "../src/index.js";

// Every key of the options is checked as in the other weft packages: a misspelt one names the nearest valid
// name, and a symbol key or an inherited enumerable key is refused rather than silently ignored.
describe("ContextLocal and ThreadLocal refuse every option they do not know", () => {
  it("a misspelt key names the nearest valid one and the valid options", () => {
    expect(() => new ContextLocal({ nmae: "x" } as never)).toThrow(
      new TypeError(
        'new ContextLocal options: unknown option "nmae" (did you mean "name"?); valid options: name, default, propagate',
      ),
    );
    expect(() => new ContextLocal({ defualt: 1 } as never)).toThrow(/\(did you mean "default"\?\)/);
    expect(() => new ContextLocal({ propagte: true } as never)).toThrow(/\(did you mean "propagate"\?\)/);
    expect(() => new ContextLocal({ colour: 1 } as never)).toThrow(
      new TypeError(
        'new ContextLocal options: unknown option "colour"; valid options: name, default, propagate',
      ),
    );
    expect(() => new ThreadLocal({ init: () => 1, dipose: () => {} } as never)).toThrow(
      new TypeError(
        'new ThreadLocal options: unknown option "dipose" (did you mean "dispose"?); valid options: init, dispose',
      ),
    );
    expect(() => new ThreadLocal({ Init: () => 1 } as never)).toThrow(/\(did you mean "init"\?\)/);
  });

  it("a symbol key is refused, naming the symbol", () => {
    expect(() => new ContextLocal({ name: "x", [Symbol("propagate")]: true } as never)).toThrow(
      new TypeError(
        "new ContextLocal options: unknown option Symbol(propagate) (option names are strings); valid options: name, default, propagate",
      ),
    );
    expect(() => new ThreadLocal({ init: () => 1, [Symbol("dispose")]: () => {} } as never)).toThrow(
      /^new ThreadLocal options: unknown option Symbol\(dispose\)/,
    );
  });

  it("an inherited enumerable key counts, as in @weft/sync's checks", () => {
    expect(() => new ContextLocal(Object.create({ nmae: "x" }) as never)).toThrow(/unknown option "nmae"/);
    const withInit = Object.assign(Object.create({ dipose: () => {} }) as object, { init: () => 1 });
    expect(() => new ThreadLocal(withInit as never)).toThrow(/unknown option "dipose"/);
  });
});
