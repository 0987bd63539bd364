// publint and arethetypeswrong, installed once per machine into a cache folder (node_modules/.cache/weft-tools)
// instead of one `npx -y` per package: concurrent npx runs of one package race on npx's cache.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, repoRoot } from "./tarballs.js";

export const TOOLS = { publint: "0.3.25", "@arethetypeswrong/cli": "0.18.5" } as const;
const dir = join(repoRoot, "node_modules", ".cache", "weft-tools");

/** Paths of the tools' CLI entry points, installing them on first use. */
export function tools(): { publint: string; attw: string } {
  const paths = {
    publint: join(dir, "node_modules", "publint", "src", "cli.js"),
    attw: join(dir, "node_modules", "@arethetypeswrong", "cli", "dist", "index.js"),
  };
  if (!existsSync(paths.publint) || !existsSync(paths.attw)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), '{ "private": true }\n');
    const specs = Object.entries(TOOLS).map(([name, version]) => `${name}@${version}`);
    execFileSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", ...specs], {
      cwd: dir,
      env: cleanEnv(),
      stdio: ["ignore", "ignore", "inherit"],
      timeout: 10 * 60_000, // synchronous (in the global setup): a stuck install fails instead of hanging
    });
  }
  for (const p of Object.values(paths))
    if (!existsSync(p)) throw new Error(`${p} is missing after npm install`);
  return paths;
}
