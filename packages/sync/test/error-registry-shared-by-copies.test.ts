import { describe, expect, it } from "vitest";

// weft's packages bundle their own copy of some sibling modules (a pool's one-file entries carry a copy of
// @weft/sync/extension): every copy of the error registry in a thread must be one registry, or an error that one
// copy registered comes back from another thread as a plain Error when another copy rebuilds it.
type Registry = typeof import("../src/coded-error.js");
const copy = (n: number): Promise<Registry> => import(/* @vite-ignore */ `../src/coded-error.ts?copy=${n}`);

describe("the error registry is shared by every copy of it in a thread", () => {
  it("a class one copy registered is found by another copy's errorClassFor", async () => {
    const [a, b] = await Promise.all([copy(1), copy(2)]);
    expect(a).not.toBe(b);
    class WidgetJamError extends Error {
      override name = "WidgetJamError";
    }
    a.registerErrorClass(WidgetJamError, "ERR_WEFT_TEST_WIDGET_JAM");
    expect(b.errorClassFor("ERR_WEFT_TEST_WIDGET_JAM")).toBe(WidgetJamError);
  });

  it("another copy's class under the same code is accepted (builds rename classes), with code-based instanceof", async () => {
    const [a, b] = await Promise.all([copy(3), copy(4)]);
    const First = class GearSlipError extends Error {};
    const Second = class _class7 extends Error {};
    a.registerErrorClass(First, "ERR_WEFT_TEST_GEAR_SLIP");
    expect(() => b.registerErrorClass(Second, "ERR_WEFT_TEST_GEAR_SLIP")).not.toThrow();
    expect(b.errorClassFor("ERR_WEFT_TEST_GEAR_SLIP")).toBe(First);
    expect(new First("x")).toBeInstanceOf(Second);
    expect(new Second("x")).toBeInstanceOf(First);
  });

  it("a second class under a code one copy already registered is refused by that copy", async () => {
    const a = await copy(5);
    class BeltSnapError extends Error {}
    class OtherError extends Error {}
    a.registerErrorClass(BeltSnapError, "ERR_WEFT_TEST_BELT_SNAP");
    expect(() => a.registerErrorClass(BeltSnapError, "ERR_WEFT_TEST_BELT_SNAP")).not.toThrow();
    expect(() => a.registerErrorClass(OtherError, "ERR_WEFT_TEST_BELT_SNAP")).toThrow(
      /ERR_WEFT_TEST_BELT_SNAP is already registered to BeltSnapError/,
    );
  });
});
