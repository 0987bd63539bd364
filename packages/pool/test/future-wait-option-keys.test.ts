import { describe, expect, it } from "vitest";
import { asCompleted, Future, PoolOptionError, wait } from "../src/index.js";

// A misspelt option must not be ignored: `result({ timout: 100 })` would wait without a limit.
describe("result, exception, wait and asCompleted refuse option keys they do not know", () => {
  it("Future.result / exception reject with a PoolOptionError naming the key", async () => {
    const f = new Future<number>();
    await expect(f.result({ timout: 5 } as never)).rejects.toThrow(
      new PoolOptionError(
        'Future.result options: unknown option "timout" (did you mean "timeout"?); valid options: timeout, signal',
      ),
    );
    await expect(f.exception({ signl: undefined } as never)).rejects.toThrow(
      /^Future\.exception options: unknown option "signl" \(did you mean "signal"\?\)/,
    );
    await expect(f.result(7 as never)).rejects.toBeInstanceOf(PoolOptionError);
    await expect(f.result({ signal: "stop" } as never)).rejects.toThrow(
      /Future\.result: signal must be an AbortSignal, got string/,
    );
    f.setResult(1);
    // a finished future still checks what it was asked
    await expect(f.result({ timout: 5 } as never)).rejects.toBeInstanceOf(PoolOptionError);
    expect(await f.result({ timeout: 5, signal: new AbortController().signal })).toBe(1);
  });

  it("wait rejects and asCompleted throws at the call", async () => {
    const f = new Future<number>();
    await expect(wait([f], { return_when: "FIRST_COMPLETED" } as never)).rejects.toThrow(
      /^wait options: unknown option "return_when" \(did you mean "returnWhen"\?\); valid options: timeout, returnWhen$/,
    );
    expect(() => asCompleted([f], { timout: 5 } as never)).toThrow(
      /^asCompleted options: unknown option "timout" \(did you mean "timeout"\?\); valid options: timeout$/,
    );
    await expect(wait([f], "soon" as never)).rejects.toBeInstanceOf(PoolOptionError);
    f.setResult(2);
    expect((await wait([f], { timeout: 5 })).done.size).toBe(1);
  });
});
