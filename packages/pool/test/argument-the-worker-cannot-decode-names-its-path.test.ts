import { ThreadPoolExecutor } from "@weft/pool";
import { MarshalError, registerMarshaller } from "@weft/sync";
import { afterAll, describe, expect, it } from "vitest";

// CPython's test_deadlock "error at task unpickle": an argument that the worker cannot rebuild. Here a kind
// registered with registerMarshaller on the submitting side only: the worker does not know it. Only that task
// fails, with a MarshalError that names the argument the way submit() does (args[0]...), not "value[0]".
class Probe {
  constructor(readonly n: number) {}
}
registerMarshaller("pool-test-decode-path-probe", {
  test: (v): v is Probe => v instanceof Probe,
  encode: (v: Probe) => ({ n: v.n }),
  decode: (d: { n: number }) => new Probe(d.n),
});

describe("an argument the worker cannot decode", () => {
  const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
  afterAll(() => pool.shutdown());

  it("fails its task with a MarshalError naming args[...] and the kind; the pool keeps working", async () => {
    const f = pool.submit((_a: number, p: { n: number }) => p.n, 1, { nested: [new Probe(3)] } as never);
    const error = await f.exception({ timeout: 10_000 });
    expect(error).toBeInstanceOf(MarshalError);
    expect((error as MarshalError).message).toContain(
      'args[1].nested[0] is an encoded "pool-test-decode-path-probe"',
    );
    expect((error as MarshalError).path).toBe("args[1].nested[0]");
    expect(await pool.submit((x: number) => x + 1, 1)).toBe(2);
  });

  it("an initializer argument the worker cannot decode names initArgs[...]", async () => {
    const p = new ThreadPoolExecutor({
      maxWorkers: 1,
      initializer: (_p: unknown) => {},
      initArgs: [new Probe(1)],
    });
    try {
      const error = await p.submit(() => 1).exception({ timeout: 10_000 });
      const text = `${(error as Error).message} ${String((error as Error & { cause?: unknown }).cause)}`;
      expect(text).toContain("initArgs[0] is an encoded");
    } finally {
      await p.shutdown();
    }
  });
});
