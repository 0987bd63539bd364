import { describe, expect, inject, it } from "vitest";
import { cleanEnv, publishedPackages, run, tarballFiles } from "./tarballs.js";
import { tools } from "./tools.js";

/** Runs a tool on a tarball; its output is the failure's message when it exits non-zero. */
async function check(cli: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run(process.execPath, [cli, ...args], { cwd, env: cleanEnv() });
    return stdout;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`${cli} ${args.join(" ")} failed:\n${err.stdout ?? ""}${err.stderr ?? ""}`);
  }
}

/** Each tarball: what it ships, publint and arethetypeswrong. */
export function describeTarballContents(): void {
  const tarballs = inject("tarballs");
  const packages = publishedPackages();
  const { publint, attw } = tools();
  describe.concurrent.each(packages.map((p) => [p.name, p] as const))("the %s tarball", (name, p) => {
    it("ships dist, README.md, CHANGELOG.md and LICENSE, and no source maps or TypeScript sources", async () => {
      const files = await tarballFiles(tarballs[name] as string);
      expect(files).toEqual(expect.arrayContaining(["package.json", "README.md", "CHANGELOG.md", "LICENSE"]));
      expect(files.some((f) => f.startsWith("dist/") && f.endsWith(".js"))).toBe(true);
      expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
      expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && !f.endsWith(".d.cts"))).toEqual(
        [],
      );
      if (name === "@weft/native") {
        expect(files).toEqual(
          expect.arrayContaining([
            "prebuilds/linux-x64/weft-native.napi.glibc.node",
            "prebuilds/linux-arm64/weft-native.napi.glibc.node",
            "scripts/build-addon.cjs",
            "src/native/binding.gyp",
          ]),
        );
        // a binding.gyp at the root makes npm and pnpm run `node-gyp rebuild` on install
        expect(files).not.toContain("binding.gyp");
        expect(files.some((f) => f.startsWith("src/native/build/"))).toBe(false);
      }
    });

    it("passes publint", async () => {
      expect(await check(publint, ["--strict", tarballs[name] as string], p.dir)).toContain("All good!");
    });

    it("passes arethetypeswrong (ESM and CJS types for node16 and bundler resolution)", async () => {
      // exits non-zero on any problem. Profile node16: TypeScript 6 deprecates `moduleResolution: node10`,
      // which cannot see subpath exports (`@weft/<pkg>/extension`) at all.
      await check(attw, ["--format", "ascii", "--profile", "node16", tarballs[name] as string], p.dir);
    });
  });
}
