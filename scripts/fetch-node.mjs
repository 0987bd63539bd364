// Puts another Node.js release on this machine for tests, from the npm registry's `node-<platform>-<arch>`
// packages (the official binaries), in a cache folder: node_modules/.cache/weft-node/<platform>-<arch>-<version>/.
//
//   node scripts/fetch-node.mjs 22.23.5 [--arch=arm64]   prints the path of that `node` binary
//
// Imported, `fetchNode(version, arch)` returns the same path. A cached copy is reused; nothing is run at
// install time (--ignore-scripts), and an arm64 binary on an x64 machine runs under qemu-user (see
// `qemuCommand` in apps/package-checks).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = join(import.meta.dirname, "..");
export const NODE_CACHE = join(root, "node_modules", ".cache", "weft-node");

/** Path of the `node` binary of `version` (e.g. "22.23.5") for `arch`, installing it on first use. */
export function fetchNode(version, arch = process.arch) {
  if (!/^\d+\.\d+\.\d+$/.test(version))
    throw new TypeError(`fetchNode: version must be x.y.z, got ${version}`);
  if (!["x64", "arm64"].includes(arch))
    throw new TypeError(`fetchNode: arch must be x64 or arm64, got ${arch}`);
  const name = `node-${process.platform}-${arch}`;
  const dir = join(NODE_CACHE, `${process.platform}-${arch}-${version}`);
  const bin = join(dir, "node_modules", name, "bin", "node");
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), '{ "private": true }\n');
  execFileSync(
    "npm",
    [
      "install",
      "--no-save",
      "--ignore-scripts",
      "--no-audit",
      "--no-fund",
      "--force", // the package's own `cpu` field refuses an arm64 binary on an x64 machine
      `--cpu=${arch}`,
      `${name}@${version}`,
    ],
    // Synchronous (in a global setup, or a test, where testTimeout cannot stop it): bounded.
    { cwd: dir, stdio: ["ignore", "ignore", "inherit"], timeout: 10 * 60_000 },
  );
  if (!existsSync(bin)) throw new Error(`fetchNode: ${name}@${version} has no bin/node`);
  return bin;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const version = process.argv[2];
  const arch = process.argv.find((a) => a.startsWith("--arch="))?.slice("--arch=".length);
  console.log(fetchNode(version, arch));
}
