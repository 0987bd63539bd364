// The Node.js releases the packages are checked on besides the one running the tests (20): the current
// LTS lines, as the npm registry's official binaries (fetched once into node_modules/.cache/weft-node).
// @ts-expect-error a plain .mjs script of the repository, without types
import { fetchNode } from "../../../../scripts/fetch-node.mjs";

export const OTHER_NODES = ["22.23.5", "24.22.3"] as const;
/** The arm64 Node that runs the arm64 prebuild under qemu-user. */
export const ARM64_NODE = "20.20.2";

/** Path of that Node's binary, fetching it on first use. */
export function nodeBinary(version: string, arch: "x64" | "arm64" = "x64"): string {
  return (fetchNode as (v: string, a: string) => string)(version, arch);
}
