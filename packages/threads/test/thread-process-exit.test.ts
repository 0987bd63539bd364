import { Thread } from "@weft/threads";
import { describe, expect, it } from "vitest";
import { runNode } from "./run-node.js";

describe("process.exit() inside a thread", () => {
  it("ends only the thread, quietly: join() resolves true and exitCode tells the code", async () => {
    for (const code of [3, 0]) {
      const t = new Thread({
        target: async (c: number) => {
          await new Promise((resolve) => setTimeout(resolve, 10));
          process.exit(c);
        },
        args: [code],
      }).start();
      expect(await t.join()).toBe(true);
      expect(t.exitCode).toBe(code);
      expect(t.error).toBeUndefined();
      expect(t.result).toBeUndefined();
      expect(t.isAlive).toBe(false);
    }
    const normal = new Thread({ target: () => 5 }).start();
    await normal.join();
    expect(normal.exitCode).toBeUndefined();
  });

  it("is not reported as an uncaught thread error, and the program goes on", async () => {
    const script = `
      import { Thread } from "@weft/threads";
      const t = new Thread({ name: "leaver", target: () => process.exit(7) }).start();
      setTimeout(() => console.log("main still running", t.isAlive, t.exitCode), 2000);
    `;
    const run = await runNode(["--input-type=module", "-e", script]);
    expect(run.stderr).not.toMatch(/Exception in thread/);
    expect(run.stdout).toContain("main still running false 7");
    expect(run.code).toBe(0);
  });
});
