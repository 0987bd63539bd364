import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";

// Where the package ships a prebuild that fits (glibc Linux, no local build in build/), the addon loads from it
// directly: node-gyp-build's load and directory scan (~4 ms of every process's first use) are not needed.
const packageDir = join(import.meta.dirname, "..");
const platform = `${process.platform}-${process.arch}`;
const shipped = join(packageDir, "prebuilds", platform, "weft-native.napi.glibc.node");
const fits =
  process.platform === "linux" &&
  existsSync(shipped) &&
  !existsSync(join(packageDir, "build")) &&
  !existsSync("/etc/alpine-release") &&
  process.env.LIBC === undefined;

describe("loading the shipped prebuild", () => {
  it.skipIf(!fits)(
    "loads prebuilds/<platform>/weft-native.napi.glibc.node without node-gyp-build",
    async () => {
      vi.resetModules();
      const loader = await import("../src/binding.js");
      const gypBuild = createRequire(import.meta.url)("node-gyp-build") as { path(dir: string): string };
      const spy = vi.spyOn(gypBuild, "path");
      try {
        expect(loader.binding().kernels).toEqual(["sha256", "fnv1a64"]);
        expect(loader.bindingFile()).toBe(shipped);
        expect(spy).not.toHaveBeenCalled();
      } finally {
        spy.mockRestore();
      }
    },
  );
});
