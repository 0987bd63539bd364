import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { moduleGraph } from "../../../scripts/module-graph.mjs";

// A process-pool child loads @weft/native/extension only to map its slot memory: its graph stays small.
describe("@weft/native/extension's module graph", () => {
  it("reaches neither @weft/sync's user API nor node:crypto", () => {
    const { files } = moduleGraph(fileURLToPath(import.meta.resolve("@weft/native/extension")));
    expect(files.filter(({ file }) => /[/\\]sync[/\\]dist[/\\]index\.js$/.test(file))).toEqual([]);
    const imports = files.flatMap(({ file }) => [
      ...readFileSync(file, "utf8").matchAll(/from "(node:)?crypto"/g),
    ]);
    expect(imports).toEqual([]);
  });
});
