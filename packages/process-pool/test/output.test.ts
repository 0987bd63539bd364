import { ProcessPoolExecutor } from "@weft/process-pool";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fixture, until } from "./helpers.js";

function capture(stream: NodeJS.WriteStream): { text: () => string } {
  let text = "";
  const original = stream.write.bind(stream);
  vi.spyOn(stream, "write").mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const s = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
    if (s.includes("weft-out")) {
      text += s;
      return true;
    }
    return original(chunk as never, ...(rest as []));
  }) as typeof stream.write);
  return { text: () => text };
}

describe("children's stdout and stderr", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("are forwarded line by line with a prefix naming the child", async () => {
    const out = capture(process.stdout);
    const err = capture(process.stderr);
    const ex = new ProcessPoolExecutor({ maxWorkers: 1, outputPrefix: (c) => `[child ${c.id}:${c.pid}] ` });
    const pid = await ex.submit(fixture<() => number>("pid"));
    await ex.submit(fixture("print"), "weft-out one\nweft-out two");
    await ex.shutdown(); // waits for the streams to close
    const prefix = new RegExp(`^\\[child \\d+:${pid}\\] `);
    const lines = out.text().trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(prefix);
    expect(lines.map((l) => l.replace(prefix, ""))).toEqual(["weft-out one", "weft-out two"]);
    const errLines = err.text().trimEnd().split("\n");
    expect(errLines.map((l) => l.replace(prefix, ""))).toEqual(["err:weft-out one", "weft-out two"]);
  });

  it("are forwarded unchanged without a prefix", async () => {
    const out = capture(process.stdout);
    const err = capture(process.stderr);
    await using ex = new ProcessPoolExecutor({ maxWorkers: 1 });
    await ex.submit(fixture("print"), "weft-out plain");
    await until(() => out.text().includes("\n"), 10_000, "forwarded output");
    expect(out.text()).toBe("weft-out plain\n");
    await until(() => err.text().includes("\n"), 10_000, "forwarded errors");
    expect(err.text()).toBe("err:weft-out plain\n");
  });

  it('are not forwarded with output "ignore"', async () => {
    const out = capture(process.stdout);
    const ex = new ProcessPoolExecutor({ maxWorkers: 1, output: "ignore" });
    await ex.submit(fixture("print"), "weft-out hidden");
    await ex.shutdown();
    expect(out.text()).toBe("");
  });
});
