import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const packageDir = join(import.meta.dirname, "..");
const require = createRequire(import.meta.url);
const { portabilityProblems, elfRequirements } = require("../scripts/elf-versions.cjs") as {
  portabilityProblems(file: string, max: [number, number]): string[];
  elfRequirements(file: string): { machine: number; needed: string[]; versions: Record<string, string[]> };
};
const { prebuildProblems, PREBUILD_NAME } = require("../scripts/build-addon.cjs") as {
  prebuildProblems(): string[];
  PREBUILD_NAME: string;
};
const EM_X86_64 = 62;
const EM_AARCH64 = 183;

describe("prebuilds", () => {
  it("cover linux-x64 and linux-arm64, each for its own machine", () => {
    const x64 = elfRequirements(join(packageDir, "prebuilds", "linux-x64", PREBUILD_NAME));
    const arm64 = elfRequirements(join(packageDir, "prebuilds", "linux-arm64", PREBUILD_NAME));
    expect(x64.machine).toBe(EM_X86_64);
    expect(arm64.machine).toBe(EM_AARCH64);
  });

  it("need nothing newer than glibc 2.17, no libstdc++ and were built from the current sources", () => {
    expect(prebuildProblems()).toEqual([]);
    for (const arch of ["x64", "arm64"]) {
      const { versions } = elfRequirements(join(packageDir, "prebuilds", `linux-${arch}`, PREBUILD_NAME));
      expect(Object.keys(versions)).not.toContain("libstdc++.so.6");
    }
  });

  it("the portability check catches what an unportable binary needs (Node itself: GLIBCXX, glibc > 2.17)", () => {
    const problems = portabilityProblems(process.execPath, [2, 17]);
    expect(problems.some((p) => p.startsWith("links libstdc++"))).toBe(true);
    expect(problems.some((p) => /needs GLIBC_2\.(1[89]|[2-9]\d)/.test(p))).toBe(true);
  });

  it("the package has no install script and no binding.gyp at its root (npm and pnpm would compile on install)", () => {
    const pkg = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
    for (const hook of ["preinstall", "install", "postinstall"]) expect(pkg.scripts[hook]).toBeUndefined();
    expect(existsSync(join(packageDir, "binding.gyp"))).toBe(false);
    expect(pkg.os).toEqual(["linux"]);
    expect(pkg.cpu).toEqual(["x64", "arm64"]);
  });

  it("`build-addon.cjs --check` agrees (what a release runs)", () => {
    const out = execFileSync(process.execPath, [join(packageDir, "scripts", "build-addon.cjs"), "--check"], {
      encoding: "utf8",
      timeout: 60_000, // synchronous: testTimeout could not stop it
    });
    expect(out).toContain("prebuilds fit glibc >= 2.17");
  });
});
