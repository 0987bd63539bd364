// Packing the published packages and installing them the way a user does: from the tarballs, into a fresh
// project outside this repository, with npm or pnpm.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

export const repoRoot = join(import.meta.dirname, "..", "..", "..", "..");
const run = promisify(execFile);

/** A published package of this repository. */
export interface PackageInfo {
  name: string;
  dir: string;
  /** Names of the @weft packages it depends on (dependencies only: optional peers are not installed). */
  weftDependencies: string[];
}

export function publishedPackages(): PackageInfo[] {
  const base = join(repoRoot, "packages");
  return readdirSync(base)
    .map((d) => join(base, d))
    .filter((dir) => existsSync(join(dir, "package.json")))
    .map((dir) => {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      return { pkg, dir };
    })
    .filter(({ pkg }) => pkg.private !== true)
    .map(({ pkg, dir }) => ({
      name: pkg.name as string,
      dir,
      weftDependencies: Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith("@weft/")),
    }));
}

/** The package and every @weft package it pulls in, transitively. */
export function closure(name: string, packages = publishedPackages()): string[] {
  const byName = new Map(packages.map((p) => [p.name, p]));
  const seen = new Set<string>();
  const visit = (n: string) => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const d of byName.get(n)?.weftDependencies ?? []) visit(d);
  };
  visit(name);
  return [...seen].sort();
}

/** An environment for package managers run from inside `pnpm test`: none of the outer run's npm_ settings. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(npm_|pnpm_|PNPM_|INIT_CWD$|VITEST|TURBO_|NODE_OPTIONS$)/i.test(k)) env[k] = v;
  }
  return { ...env, ...extra };
}

/** Packs every package with `pnpm pack` (workspace: ranges become versions) into `dest`; name -> tarball. */
export async function packAll(dest: string): Promise<Record<string, string>> {
  mkdirSync(dest, { recursive: true });
  const out: Record<string, string> = {};
  await Promise.all(
    publishedPackages().map(async (p) => {
      const { stdout } = await run("pnpm", ["pack", "--pack-destination", dest], {
        cwd: p.dir,
        env: cleanEnv(),
      });
      const file = stdout
        .trim()
        .split("\n")
        .map((l) => l.trim())
        .reverse()
        .find((l) => l.endsWith(".tgz"));
      if (file === undefined) throw new Error(`pnpm pack printed no tarball for ${p.name}:\n${stdout}`);
      out[p.name] = file.startsWith("/") ? file : join(dest, file);
    }),
  );
  return out;
}

/** Files inside a tarball, without the leading `package/`. */
export async function tarballFiles(tarball: string): Promise<string[]> {
  const { stdout } = await run("tar", ["-tzf", tarball]);
  return stdout
    .split("\n")
    .filter(Boolean)
    .map((f) => f.replace(/^package\//, ""));
}

export type PackageManager = "npm" | "pnpm";

/** What a fresh project gave: its folder and the package manager's output. */
export interface Installed {
  dir: string;
  output: string;
}

/**
 * A fresh project that depends on `name` alone (from its tarball); the @weft packages it pulls in come from
 * their tarballs through `overrides`, so they are installed as the registry would install them: as
 * dependencies of dependencies, not as the project's own.
 */
/**
 * Third-party dependencies whose install script a weft package's README tells users to decline (it only
 * builds an optional speed-up): the fresh pnpm project declines it as the README says, and npm's warning
 * about it is not counted as weft's. Any other build script still fails the check.
 */
export const DECLINED_BUILDS: Record<string, string[]> = {
  // bullmq -> msgpackr -> msgpackr-extract (a faster optional decoder; msgpackr falls back to JavaScript)
  "@weft/distributed": ["msgpackr-extract"],
};

export async function installAlone(
  pm: PackageManager,
  name: string,
  tarballs: Record<string, string>,
): Promise<Installed> {
  const dir = mkdtempSync(join(tmpdir(), `weft-install-${pm}-${name.replace("@weft/", "")}-`));
  const overrides: Record<string, string> = {};
  for (const [n, t] of Object.entries(tarballs)) if (n !== name) overrides[n] = `file:${t}`;
  const pkg: Record<string, unknown> = {
    name: "weft-smoke",
    private: true,
    version: "1.0.0",
    dependencies: { [name]: `file:${tarballs[name]}` },
  };
  if (pm === "npm") pkg.overrides = overrides;
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  if (pm === "pnpm") {
    // overrides only, and no allowBuilds but the declined ones: installing must need no approval of a build script
    const lines = ["overrides:", ...Object.entries(overrides).map(([n, s]) => `  "${n}": "${s}"`)];
    const declined = DECLINED_BUILDS[name] ?? [];
    if (declined.length > 0) lines.push("allowBuilds:", ...declined.map((n) => `  ${n}: false`));
    writeFileSync(join(dir, "pnpm-workspace.yaml"), `${lines.join("\n")}\n`);
  }
  const args =
    pm === "npm"
      ? ["install", "--no-audit", "--no-fund", "--loglevel=warn"]
      : ["install", "--no-frozen-lockfile", "--reporter=append-only"];
  try {
    const { stdout, stderr } = await run(pm, args, { cwd: dir, env: cleanEnv(), maxBuffer: 16 << 20 });
    const declined = DECLINED_BUILDS[name] ?? [];
    const output = `${stdout}\n${stderr}`
      .split("\n")
      .filter((line) => !declined.some((n) => line.includes(`${n}@`)))
      .join("\n");
    return { dir, output };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${pm} install of ${name} failed in ${dir}:\n${err.stdout ?? ""}\n${err.stderr ?? err.message}`,
    );
  }
}

/** The @weft packages present in a project's node_modules (direct or not). */
export function installedWeftPackages(dir: string, pm: PackageManager): string[] {
  if (pm === "npm") {
    const base = join(dir, "node_modules", "@weft");
    return existsSync(base)
      ? readdirSync(base)
          .map((n) => `@weft/${n}`)
          .sort()
      : [];
  }
  // pnpm: every installed package has a folder in node_modules/.pnpm named <name>@<version> ("/" as "+")
  const store = join(dir, "node_modules", ".pnpm");
  return readdirSync(store)
    .filter((d) => d.startsWith("@weft+"))
    .map((d) => d.slice(0, d.indexOf("@", 1)).replace("+", "/"))
    .filter((n, i, all) => all.indexOf(n) === i)
    .sort();
}

export { run };
