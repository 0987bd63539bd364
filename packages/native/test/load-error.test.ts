import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { load } from "../src/binding.js";
import { NativeLoadError } from "../src/index.js";

describe("loading the addon", () => {
  it("fails with NativeLoadError naming the platform and how to build when no binary exists", () => {
    const dir = mkdtempSync(join(tmpdir(), "weft-native-"));
    try {
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "x" }));
      let error: unknown;
      try {
        load(dir);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(NativeLoadError);
      const e = error as NativeLoadError;
      expect(e.name).toBe("NativeLoadError");
      expect(e.platform).toBe(`${process.platform}-${process.arch}`);
      expect(e.message).toContain(`no prebuilt addon for ${process.platform}-${process.arch}`);
      // names the exact command that builds it, with the installed package's path
      expect(e.message).toContain(`node ${JSON.stringify(join(dir, "scripts", "build-addon.cjs"))}`);
      expect(e.cause).toBeDefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("loads the committed prebuild for this platform on its own (what every install uses: there is no install script)", () => {
    const dir = mkdtempSync(join(tmpdir(), "weft-native-"));
    try {
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "@weft/native" }));
      cpSync(join(import.meta.dirname, "..", "prebuilds"), join(dir, "prebuilds"), { recursive: true });
      const b = load(dir); // no build/ here: only the prebuild can satisfy it
      expect(b.kernels).toEqual(["sha256", "fnv1a64"]);
      expect(Object.keys(b)).toEqual(expect.arrayContaining(["shmCreate", "futexWait", "runJob"]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("loads the real addon from the package", () => {
    const b = load(join(import.meta.dirname, ".."));
    expect(b.kernels).toEqual(["sha256", "fnv1a64"]);
    expect(b.futexSupported).toBe(true);
  });
});
