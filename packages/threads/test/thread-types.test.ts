import type { Event } from "@weft/sync";
import { Thread } from "@weft/threads";
import { describe, expectTypeOf, it } from "vitest";

// Compile-time checks (the package's typecheck runs over the tests): argument and result types follow the target.
describe("Thread typing", () => {
  it("infers args and result from a function target", () => {
    const t = new Thread({ target: (a: number, b: string) => `${b}${a}`, args: [1, "x"] });
    expectTypeOf(t.result).toEqualTypeOf<string | undefined>();
    const asyncT = new Thread({
      target: async (e: Event) => e.isSet(),
      args: [undefined as unknown as Event],
    });
    expectTypeOf(asyncT.result).toEqualTypeOf<boolean | undefined>();
    // @ts-expect-error: the arguments must match the target's parameters
    new Thread({ target: (a: number) => a, args: ["not a number"] });
    expectTypeOf(t.join).returns.toEqualTypeOf<Promise<boolean>>();
  });
});
