#!/usr/bin/env node
// Builds @weft/native's addon. The package has no install script: installing never compiles (a prebuild
// covers linux-x64 and linux-arm64 on glibc >= 2.17), and this script is what a user runs where no prebuild
// fits (the NativeLoadError message names it with its full path).
//
//   node scripts/build-addon.cjs               compile for this machine into build/Release/ (node-gyp-build
//                                              prefers it over the prebuilds)
//   node scripts/build-addon.cjs --prebuilds   rebuild prebuilds/linux-{x64,arm64}/ (x64 with the host g++,
//                                              arm64 with g++-aarch64-linux-gnu), portable to glibc 2.17,
//                                              then run --check
//   node scripts/build-addon.cjs --check       verify the committed prebuilds: glibc <= 2.17 symbol versions,
//                                              no libstdc++/libgcc_s, built from the current sources
//
// Compiling needs a C++17 compiler, make and python3. node-gyp comes from the package's dependencies when
// present (in this repository), otherwise from `npx node-gyp@12`. pnpm ignores npm's `nodedir` setting, so
// when Node's own install prefix ships its headers (include/node/node_api.h: /usr on Debian, the official
// tarballs) node-gyp is pointed at them instead of downloading them.
"use strict";
const { spawnSync } = require("node:child_process");
const { createHash } = require("node:crypto");
const {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} = require("node:fs");
const { dirname, join, relative } = require("node:path");
const { portabilityProblems } = require("./elf-versions.cjs");

const packageDir = join(__dirname, "..");
const gypDir = join(packageDir, "src", "native");
const prebuildsDir = join(packageDir, "prebuilds");
const manifestFile = join(prebuildsDir, "manifest.json");
/** The file name node-gyp-build matches: any Node-API runtime, glibc only (musl builds from source). */
const PREBUILD_NAME = "weft-native.napi.glibc.node";
const OLDEST_GLIBC = [2, 17];
const NODE_GYP = "node-gyp@12.4.0";

/** Cross compilers per target arch when it differs from the host's. */
const CROSS = {
  arm64: { prefix: "aarch64-linux-gnu-", debian: "g++-aarch64-linux-gnu" },
  x64: { prefix: "x86_64-linux-gnu-", debian: "g++-x86-64-linux-gnu" },
};

function fail(message) {
  console.error(`@weft/native build: ${message}`);
  process.exit(1);
}

function nodeGypCommand() {
  try {
    const bin = require.resolve("node-gyp/bin/node-gyp.js", { paths: [packageDir] });
    return [process.execPath, [bin]];
  } catch {
    return [process.platform === "win32" ? "npx.cmd" : "npx", ["-y", NODE_GYP]];
  }
}

function buildEnv(extra) {
  const env = { ...process.env, ...extra };
  const prefix = dirname(dirname(process.execPath));
  if (!env.npm_config_nodedir && existsSync(join(prefix, "include", "node", "node_api.h"))) {
    env.npm_config_nodedir = prefix;
  }
  return env;
}

/** Runs node-gyp rebuild in src/native and returns the path of the built .node file. */
function compile(arch, env) {
  const [cmd, pre] = nodeGypCommand();
  const args = [...pre, "rebuild", `--arch=${arch}`];
  const r = spawnSync(cmd, args, { cwd: gypDir, env: buildEnv(env), stdio: "inherit" });
  if (r.error) fail(`could not run node-gyp (${r.error.message})`);
  if (r.status !== 0) {
    fail(
      `compiling failed (exit ${r.status}). Compiling needs a C++17 compiler (g++ or clang++), make and ` +
        "python3: install them (Debian/Ubuntu: `apt-get install -y g++ make python3`) and run this again.",
    );
  }
  return join(gypDir, "build", "Release", "weft_native.node");
}

function cleanGypBuild() {
  rmSync(join(gypDir, "build"), { recursive: true, force: true });
}

/** What the prebuilds are built from: a digest of every file the compiler and linker read. */
function sourcesDigest() {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "build") walk(path);
      } else if (/\.(cc|h|gyp)$/.test(entry.name)) files.push(path);
    }
  };
  walk(gypDir);
  const hash = createHash("sha256");
  for (const file of files.sort()) {
    hash.update(relative(packageDir, file).split("\\").join("/"));
    hash.update("\0");
    hash.update(readFileSync(file));
    hash.update("\0");
  }
  return hash.digest("hex");
}

function buildLocal() {
  const built = compile(process.arch, {});
  const target = join(packageDir, "build", "Release");
  mkdirSync(target, { recursive: true });
  copyFileSync(built, join(target, "weft_native.node"));
  cleanGypBuild();
  console.log(`@weft/native: built ${relative(process.cwd(), join(target, "weft_native.node"))}`);
}

function buildPrebuilds() {
  if (process.platform !== "linux") fail("prebuilds are built on Linux (x64 host)");
  const manifest = { sources: sourcesDigest(), oldestGlibc: OLDEST_GLIBC.join("."), prebuilds: {} };
  for (const arch of ["x64", "arm64"]) {
    const env = {
      // Portable: libstdc++ linked in (an old system's is too old) and kept private to the addon
      // (--exclude-libs in binding.gyp), libgcc_s shared (every system has it), stripped.
      LDFLAGS: "-static-libstdc++ -s",
      SOURCE_DATE_EPOCH: "0",
    };
    if (arch !== process.arch) {
      const { prefix, debian } = CROSS[arch];
      const probe = spawnSync(`${prefix}g++`, ["--version"], { stdio: "ignore" });
      if (probe.error) fail(`${prefix}g++ not found: install it (Debian: apt-get install -y ${debian})`);
      Object.assign(env, {
        CC: `${prefix}gcc`,
        CXX: `${prefix}g++`,
        LINK: `${prefix}g++`,
        AR: `${prefix}ar`,
      });
    }
    const built = compile(arch, env);
    const dir = join(prebuildsDir, `linux-${arch}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    copyFileSync(built, join(dir, PREBUILD_NAME));
    cleanGypBuild();
    manifest.prebuilds[`linux-${arch}`] = createHash("sha256")
      .update(readFileSync(join(dir, PREBUILD_NAME)))
      .digest("hex");
  }
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  check();
}

/** Problems with the committed prebuilds (empty when they are portable and built from these sources). */
function prebuildProblems() {
  if (!existsSync(manifestFile)) return ["prebuilds/manifest.json is missing"];
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
  const problems = [];
  if (manifest.sources !== sourcesDigest()) {
    problems.push(
      "src/native changed since the prebuilds were built: run `pnpm --filter @weft/native run prebuilds`",
    );
  }
  for (const [platform, digest] of Object.entries(manifest.prebuilds)) {
    const file = join(prebuildsDir, platform, PREBUILD_NAME);
    if (!existsSync(file)) {
      problems.push(`${relative(packageDir, file)} is missing`);
      continue;
    }
    if (createHash("sha256").update(readFileSync(file)).digest("hex") !== digest) {
      problems.push(`${relative(packageDir, file)} is not the file the manifest records`);
    }
    for (const p of portabilityProblems(file, OLDEST_GLIBC)) problems.push(`${platform}: ${p}`);
  }
  return problems;
}

function check() {
  const problems = prebuildProblems();
  if (problems.length > 0) fail(`prebuilds are not releasable:\n  ${problems.join("\n  ")}`);
  console.log(`@weft/native: prebuilds fit glibc >= ${OLDEST_GLIBC.join(".")} and the current sources`);
}

module.exports = { prebuildProblems, sourcesDigest, PREBUILD_NAME };

if (require.main === module) {
  const mode = process.argv[2];
  if (mode === undefined) buildLocal();
  else if (mode === "--prebuilds") buildPrebuilds();
  else if (mode === "--check") check();
  else fail(`unknown argument ${mode}; use no argument (build here), --prebuilds or --check`);
}
