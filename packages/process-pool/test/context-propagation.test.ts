import { ContextLocal } from "@weft/local-storage";
import { ProcessPoolExecutor } from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

const requestId = new ContextLocal({ name: "process-pool.test.requestId", default: "none", propagate: true });

describe("context propagation", () => {
  it("a ContextLocal set before submit is visible inside the child task", async () => {
    await using ex = new ProcessPoolExecutor({ maxWorkers: 2 });
    const read = fixture<() => string>("readRequestId");
    expect(await ex.submit(read)).toBe("none");
    const futures = ["a", "b", "c", "d"].map((id) => requestId.run(id, () => ex.submit(read)));
    expect(await Promise.all(futures)).toEqual(["a", "b", "c", "d"]);
    // and not leaked into tasks submitted outside the context
    expect(await ex.submit(read)).toBe("none");
    const mapped: string[] = [];
    await requestId.run("mapped", async () => {
      for await (const v of ex.map(fixture<(x: number) => string>("readRequestId"), [1, 2, 3]))
        mapped.push(v);
    });
    expect(mapped).toEqual(["mapped", "mapped", "mapped"]);
  });
});
