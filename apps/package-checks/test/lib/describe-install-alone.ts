// One test per published package: install it alone from its tarball into a fresh project with the given
// package manager, check what got installed, and run its ESM, CJS and TypeScript smoke programs.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { SMOKE_PACKAGES, SMOKE_TSCONFIG, smokeScripts } from "./smoke-scripts.js";
import {
  closure,
  installAlone,
  installedWeftPackages,
  type PackageManager,
  repoRoot,
  run,
} from "./tarballs.js";

const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");

/** Runs `node file` in the project and returns its last line (the smoke programs print `smoke ok ...`). */
async function lastLine(node: string, dir: string, file: string): Promise<string> {
  const { stdout } = await run(node, [file], { cwd: dir, timeout: 120_000 });
  return stdout.trim().split("\n").at(-1) ?? "";
}

/**
 * @param pm the package manager of the fresh projects
 * @param nodes `[label, binary]` of the Node releases that run the ESM and CJS programs (the TypeScript one
 *   is compiled by this repository's tsc and run on the Node running the tests)
 */
export function describeInstallAlone(pm: PackageManager, nodes: [string, string][]): void {
  const tarballs = inject("tarballs");
  const projects: string[] = [];
  afterAll(() => {
    for (const dir of projects) rmSync(dir, { recursive: true, force: true });
  });
  const labels = nodes.map(([label]) => label).join(", ");

  describe.concurrent.each(SMOKE_PACKAGES.map((n) => [n]))(
    `${pm} install of %s alone, from its tarball`,
    (name) => {
      it(`installs what it pulls in and nothing else, runs no build script, runs as ESM and CJS (Node ${labels}) and TypeScript`, async () => {
        const { dir, output } = await installAlone(pm, name, tarballs);
        projects.push(dir);
        // nothing to approve (pnpm 12 fails with ERR_PNPM_IGNORED_BUILDS otherwise), nothing compiled
        expect(output).not.toMatch(/ERR_PNPM_IGNORED_BUILDS|Ignored build scripts|node-gyp|gyp info/);
        expect(installedWeftPackages(dir, pm)).toEqual(closure(name));
        if (pm === "npm" && (name === "@weft/sync" || name === "@weft/local-storage")) {
          // the leaves install nothing else at all
          const lock = JSON.parse(readFileSync(join(dir, "package-lock.json"), "utf8"));
          expect(Object.keys(lock.packages).filter((k) => k !== "")).toEqual([`node_modules/${name}`]);
        }
        for (const [file, text] of Object.entries(smokeScripts(name))) writeFileSync(join(dir, file), text);
        for (const [, node] of nodes) {
          expect(await lastLine(node, dir, "smoke.mjs")).toBe(`smoke ok ${name} esm`);
          expect(await lastLine(node, dir, "smoke.cjs")).toBe(`smoke ok ${name} cjs`);
        }
        // the package's own .d.ts files under module "nodenext", strict, with this repository's @types/node
        writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(SMOKE_TSCONFIG));
        const typeRoots = join(repoRoot, "node_modules", "@types");
        await run(process.execPath, [tsc, "-p", "tsconfig.json", "--typeRoots", typeRoots], {
          cwd: dir,
        }).catch((e: { stdout?: string }) => {
          throw new Error(`tsc failed for ${name} (${pm}):\n${e.stdout ?? String(e)}`);
        });
        expect(await lastLine(process.execPath, dir, join("out", "smoke.mjs"))).toBe(`smoke ok ${name} ts`);
      });
    },
  );
}
