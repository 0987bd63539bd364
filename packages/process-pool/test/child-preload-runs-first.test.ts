import { fileURLToPath } from "node:url";
import { ProcessPoolExecutor } from "@weft/process-pool";
import { describe, expect, it } from "vitest";

// A child starts loading @weft/native (for its shared slots) as early as it can, but never before the preload
// modules, which run before anything else of weft loads in it (a preload may install a loader hook, for example).
const preload = fileURLToPath(new URL("./fixtures/preload-sees-no-addon.mjs", import.meta.url));

describe.runIf(process.platform === "linux")("a child with preloads", () => {
  it("runs them before @weft/native's addon loads, then maps its shared slots", async () => {
    await using pool = new ProcessPoolExecutor({ maxWorkers: 1, sharedSlots: true, preload: [preload] });
    const seen = await pool.submit(async () => {
      const { readFileSync } = await import("node:fs");
      return {
        before: (globalThis as { __addonBeforePreload?: boolean }).__addonBeforePreload,
        now: readFileSync("/proc/self/maps", "utf8").includes("weft-native"),
      };
    });
    expect(seen).toEqual({ before: false, now: true });
  });
});
