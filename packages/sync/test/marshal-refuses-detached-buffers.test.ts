import { describe, expect, it } from "vitest";
import { MarshalError, marshal } from "../src/index.js";

/** An ArrayBuffer whose memory was transferred away (to a worker, by `transfer()`, ...). */
function detached(): ArrayBuffer {
  const buffer = new ArrayBuffer(8);
  structuredClone(buffer, { transfer: [buffer] });
  return buffer;
}

/** A view over an ArrayBuffer that was detached after the view was made. */
function viewOverDetached(): Float64Array {
  const buffer = new ArrayBuffer(16);
  const view = new Float64Array(buffer);
  structuredClone(buffer, { transfer: [buffer] });
  return view;
}

function encodeError(value: unknown): MarshalError {
  try {
    marshal.encode(value, { path: "args" });
  } catch (err) {
    expect(err).toBeInstanceOf(MarshalError);
    return err as MarshalError;
  }
  throw new Error("expected marshal.encode to throw");
}

describe("marshal.encode refuses a detached ArrayBuffer, naming its path", () => {
  it("a detached buffer or a view over one, wherever it is", () => {
    expect(encodeError([detached()]).path).toBe("args[0]");
    expect(encodeError([{ data: detached() }]).message).toMatch(
      /^args\[0\]\.data is a detached ArrayBuffer: /,
    );
    expect(encodeError([1, [viewOverDetached()]]).message).toMatch(
      /^args\[1\]\[0\] is a Float64Array over a detached ArrayBuffer: /,
    );
  });

  it("empty buffers and views that still hold their memory pass", () => {
    const empty = new ArrayBuffer(0);
    expect(() => marshal.encode([empty, new Uint8Array(0), new Uint8Array(4)])).not.toThrow();
  });
});
