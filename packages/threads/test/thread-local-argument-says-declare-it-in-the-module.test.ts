import { ContextLocal, ThreadLocal } from "@weft/local-storage";
import { MarshalError } from "@weft/sync";
import { Thread } from "@weft/threads";
import { describe, expect, it } from "vitest";
import { thrownBy } from "./thrown-by.js";

// Python passes a threading.local to a thread as an argument (each thread then sees its own attributes).
// A ThreadLocal or ContextLocal cannot cross an isolate; the error must say what to do instead, not suggest
// registerMarshaller (which would copy the object and break its per-thread meaning).
describe("a ThreadLocal or ContextLocal passed to a thread", () => {
  it("a ThreadLocal argument is a MarshalError saying to declare it in the module the thread loads", () => {
    const local = new ThreadLocal({ init: () => 0 });
    const t = new Thread({ target: (l: unknown) => l, args: [{ deep: [local] }] });
    const error = thrownBy(() => t.start());
    expect(error).toBeInstanceOf(MarshalError);
    const message = error.message;
    expect(message).toContain("args[0].deep[0] is a ThreadLocal");
    expect(message).toMatch(/own value/);
    expect(message).toMatch(/module level/);
    expect(message).not.toMatch(/registerMarshaller/);
  });

  it("a ContextLocal argument is a MarshalError saying to pass its value or propagate it by name", () => {
    const request = new ContextLocal<string>({ name: "request-arg-test", default: "-" });
    const t = new Thread({ target: (l: unknown) => l, args: [request] });
    const error = thrownBy(() => t.start());
    expect(error).toBeInstanceOf(MarshalError);
    const message = error.message;
    expect(message).toContain('args[0] is a ContextLocal ("request-arg-test")');
    expect(message).toMatch(/get\(\)/);
    expect(message).toMatch(/propagate: true/);
    expect(message).not.toMatch(/registerMarshaller/);
  });
});
