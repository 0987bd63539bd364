import { fileURLToPath } from "node:url";
import { moduleTask, ProcessPoolExecutor } from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { moduleGraph } from "../../../scripts/module-graph.mjs";
import { nativeAvailable } from "./helpers.js";

// What a child loads before its first task: neither @weft/sync's user API (the marshal walk is loaded on first
// need) nor @weft/native (loaded, as an ES module, only to map inherited slot memory).
describe("the process child's entry loads only what every child needs", () => {
  it("@weft/process-pool/child reaches neither @weft/sync's user API nor @weft/native", () => {
    const { files } = moduleGraph(fileURLToPath(import.meta.resolve("@weft/process-pool/child")));
    expect(files.filter(({ file }) => /[/\\]sync[/\\]dist[/\\]index\.js$/.test(file))).toEqual([]);
    expect(files.filter(({ file }) => /[/\\]native[/\\]/.test(file))).toEqual([]);
  });

  it("@weft/process-pool/child is one self-contained file: a child resolves no package before its first task", () => {
    const entry = fileURLToPath(import.meta.resolve("@weft/process-pool/child"));
    expect(moduleGraph(entry).files.map(({ file }) => file)).toEqual([entry]);
  });

  it.skipIf(!nativeAvailable).each([
    // (the CommonJS build would load a second copy of @weft/sync)
    ["maps them with @weft/native's ES module build (no CommonJS copy of weft)", "commonJsWeftFiles"],
    ["loads the addon file the parent loaded, without searching for it again", "addonSearchFiles"],
  ])("a child with shared slots %s", async (_behaviour, taskExport) => {
    await using pool = new ProcessPoolExecutor({ maxWorkers: 1, sharedSlots: true });
    const task = moduleTask(new URL("./fixtures/loaded-copies.mjs", import.meta.url), taskExport);
    expect(await pool.submit(task)).toEqual([]);
  });
});
