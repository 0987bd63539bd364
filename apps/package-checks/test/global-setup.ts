// Packs every package once per run (what each test installs from), and fetches the other Node releases
// before the tests start so that no test's time includes a download.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { nodeBinary, OTHER_NODES } from "./lib/node-versions.js";
import { packAll } from "./lib/tarballs.js";
import { tools } from "./lib/tools.js";

declare module "vitest" {
  export interface ProvidedContext {
    tarballs: Record<string, string>;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dest = mkdtempSync(join(tmpdir(), "weft-tarballs-"));
  const packing = packAll(dest);
  for (const v of OTHER_NODES) nodeBinary(v);
  tools();
  const tarballs = await packing;
  project.provide("tarballs", tarballs);
  return () => rmSync(dest, { recursive: true, force: true });
}
