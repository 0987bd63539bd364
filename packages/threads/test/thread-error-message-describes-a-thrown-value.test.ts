import { Thread, ThreadError } from "@weft/threads";
import { describe, expect, it } from "vitest";

// A target may throw anything. ThreadError's message must say what was thrown, not "[object Object]": the
// value itself stays in `cause`, untouched.
async function messageOf(target: () => unknown): Promise<string> {
  const error = await new Thread({ target })
    .start()
    .join()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  if (!(error instanceof ThreadError)) throw new Error(`expected a ThreadError, got ${String(error)}`);
  return error.message;
}

describe("ThreadError's message for a value that is not an Error", () => {
  it("shows a thrown object's contents", async () => {
    expect(
      await messageOf(() => {
        throw { code: 7, reason: "plain object" };
      }),
    ).toMatch(/^Thread "Thread-\d+" failed: threw \{ code: 7, reason: 'plain object' \} \(not an Error\)$/);
  });

  it("shows a thrown string, number or array as written", async () => {
    expect(
      await messageOf(() => {
        throw "just a string";
      }),
    ).toMatch(/failed: threw 'just a string' \(not an Error\)$/);
    expect(
      await messageOf(() => {
        throw 42;
      }),
    ).toMatch(/failed: threw 42 \(not an Error\)$/);
    expect(
      await messageOf(() => {
        throw [1, 2];
      }),
    ).toMatch(/failed: threw \[ 1, 2 \] \(not an Error\)$/);
  });

  it("keeps a huge thrown value's description short", async () => {
    const message = await messageOf(() => {
      throw { list: Array.from({ length: 10_000 }, (_, i) => i) };
    });
    expect(message.length).toBeLessThan(400);
    expect(message).toMatch(/failed: threw \{ list: \[/);
  });
});
