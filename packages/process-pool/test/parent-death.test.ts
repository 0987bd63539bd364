import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { processExists, until } from "./helpers.js";

// With shared slots a child has @weft/native loaded, and on Linux the kernel ends it with its parent
// (exitWithParent); without, a watcher thread in the child does.
describe.each([
  ["with shared slots", []],
  ["without shared slots", ["no-shared-slots"]],
])("children die with their parent, %s", (_, args) => {
  it("SIGKILL of the parent ends its idle and its busy children", async () => {
    const script = fileURLToPath(new URL("./fixtures/parent.mjs", import.meta.url));
    const parent = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    parent.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    try {
      await until(() => out.includes("\n"), 30_000, "the parent to print its children's pids");
      const { pids } = JSON.parse(out.slice(0, out.indexOf("\n"))) as { pids: number[] };
      expect(pids).toHaveLength(2);
      for (const pid of pids) expect(processExists(pid)).toBe(true);
      parent.kill("SIGKILL");
      await until(() => pids.every((pid) => !processExists(pid)), 20_000, "the children to exit");
    } finally {
      parent.kill("SIGKILL");
    }
  }, 60_000);
});
