import { execFileSync, execSync } from "node:child_process";
import { copyFileSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { ARM64_NODE, nodeBinary } from "./node-versions.js";
import { installAlone, repoRoot, run } from "./tarballs.js";

const SYSROOT = "/usr/aarch64-linux-gnu";

/** qemu-user and an arm64 glibc, installed from Debian (as root, as CI runs) when missing. */
function qemu(): string {
  const have = () => {
    try {
      return execFileSync("sh", ["-c", "command -v qemu-aarch64"], {
        encoding: "utf8",
        timeout: 10_000,
      }).trim();
    } catch {
      return "";
    }
  };
  if (have() === "" || !existsSync(join(SYSROOT, "lib", "ld-linux-aarch64.so.1"))) {
    if (process.getuid?.() !== 0) {
      throw new Error(
        "qemu-aarch64 or the arm64 C library is missing and the tests are not running as root: run " +
          "`sudo apt-get update && sudo apt-get install -y qemu-user libc6-arm64-cross libstdc++6-arm64-cross`",
      );
    }
    // Synchronous, in a test: testTimeout cannot stop it, so it has its own limit.
    execSync("apt-get update && apt-get install -y qemu-user libc6-arm64-cross libstdc++6-arm64-cross", {
      stdio: "inherit",
      timeout: 15 * 60_000,
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  }
  return have();
}

/** The arm64 prebuild, loaded by an arm64 Node under qemu-user. */
export function describeNativeArm64(): void {
  const tarballs = inject("tarballs");
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  describe("the linux-arm64 prebuild", () => {
    it("loads and works in an arm64 Node (under qemu-user) from an npm install of the tarball", async () => {
      const emulator = qemu();
      const node = nodeBinary(ARM64_NODE, "arm64");
      const { dir } = await installAlone("npm", "@weft/native", tarballs);
      dirs.push(dir);
      copyFileSync(
        join(repoRoot, "packages", "native", "scripts", "smoke-addon.mjs"),
        join(dir, "smoke.mjs"),
      );
      const { stdout } = await run(emulator, ["-L", SYSROOT, node, "smoke.mjs"], {
        cwd: dir,
        timeout: 240_000,
      });
      const lines = stdout.trim().split("\n");
      expect(lines).toHaveLength(4);
      for (const line of lines) expect(line).toMatch(new RegExp(`^ok arm64 node v${ARM64_NODE}: `));
    });
  });
}
