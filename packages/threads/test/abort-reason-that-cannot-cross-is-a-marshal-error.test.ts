import { Thread } from "@weft/threads";
import { describe, expect, it } from "vitest";

// An AbortSignal passed to a thread aborts there with its reason; a reason that cannot be cloned (a function, a
// symbol) arrives as a MarshalError at `reason`, as a thrown value that cannot cross does at `error`, not as its
// String() text.
describe("an abort reason that cannot cross into the thread", () => {
  it("arrives as a MarshalError whose path is `reason`, saying what the reason was", async () => {
    const t = new Thread({
      target: (signal: AbortSignal) => {
        const r = signal.reason as Error & { code?: string; path?: string };
        return { aborted: signal.aborted, name: r.name, code: r.code, path: r.path, message: r.message };
      },
      args: [AbortSignal.abort(Symbol("shutdown"))],
    }).start();
    await t.join();
    expect(t.result).toEqual({
      aborted: true,
      name: "MarshalError",
      code: "ERR_WEFT_MARSHAL",
      path: "reason",
      message: expect.stringMatching(
        /^reason is a symbol: symbols cannot cross threads; .*Symbol\(shutdown\)/,
      ),
    });
  });
});
