import { MarshalError, marshal } from "@weft/sync";
import { describe, expect, it } from "vitest";

// What one thread encodes with a kind another thread has no marshaller for: the receiving side's error names
// the value the way the sending side's encode did ({ path: "args" } gives args[...], not value[...]).
const unknownKind = { __weft_marshal__: "decode-path-test-unknown-kind", data: { n: 1 } };

describe("marshal.decode({ path })", () => {
  it("names the root given in options in the MarshalError for a kind this thread does not know", () => {
    let error: unknown;
    try {
      marshal.decode([1, { deep: [unknownKind] }], { path: "args" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MarshalError);
    expect((error as MarshalError).path).toBe("args[1].deep[0]");
    expect((error as Error).message).toContain(
      'args[1].deep[0] is an encoded "decode-path-test-unknown-kind"',
    );
  });

  it("defaults to value, and refuses options that are not { path: string }", () => {
    expect(() => marshal.decode([unknownKind])).toThrow(/^value\[0\] is an encoded/);
    expect(() => marshal.decode([1], { path: 3 } as never)).toThrow(TypeError);
    expect(() => marshal.decode([1], { paht: "args" } as never)).toThrow(/unknown option "paht"/);
    expect(() => marshal.decode([1], "args" as never)).toThrow(TypeError);
    expect(marshal.decode([1, "x"], { path: "args" })).toEqual([1, "x"]);
  });
});
