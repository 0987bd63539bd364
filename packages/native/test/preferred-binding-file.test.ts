import { createRequire } from "node:module";
import { join } from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";

// Each test loads a fresh copy of the loader: it loads the addon once per process.
async function freshLoader(): Promise<typeof import("../src/binding.js")> {
  vi.resetModules();
  return import("../src/binding.js");
}

describe("loading the addon from the file another process loaded", () => {
  beforeEach(() => vi.resetModules());

  it("loads the preferred file as it is, without node-gyp-build's search", async () => {
    const searched = await freshLoader();
    const file = searched.bindingFile();
    const loader = await freshLoader();
    const gypBuild = createRequire(import.meta.url)("node-gyp-build") as { path(dir: string): string };
    const spy = vi.spyOn(gypBuild, "path");
    try {
      loader.preferBindingFile(file);
      expect(loader.binding().kernels).toEqual(["sha256", "fnv1a64"]);
      expect(loader.bindingFile()).toBe(file);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it.each([
    ["a file that does not exist", join(import.meta.dirname, "no-such-addon.node")],
    ["a file that is not an addon", join(import.meta.dirname, "..", "package.json")],
    ["a relative path", "prebuilds/addon.node"],
    ["something other than a path", 42],
  ])("falls back to searching the package for %s", async (_what, preferred) => {
    const loader = await freshLoader();
    loader.preferBindingFile(preferred);
    expect(loader.binding().futexSupported).toBe(true);
    expect(loader.bindingFile()).not.toBe(preferred);
    expect(loader.bindingFile()).toMatch(/\.node$/);
  });
});
