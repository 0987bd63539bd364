#!/usr/bin/env node
// Install hook for @weft/native (run by `pnpm install` / `npm install`): loads the committed prebuild for
// this platform if one fits, otherwise compiles the addon with node-gyp.
//
// pnpm ignores npm's `nodedir` setting, so without help node-gyp tries to download Node's headers (which
// fails offline). When Node's own install prefix ships the headers (include/node/node_api.h, e.g. /usr on
// Debian or the official tarball layout), point node-gyp at them through npm_config_nodedir.
//
// `node scripts/install.cjs rebuild` always compiles (build/Release); `node scripts/install.cjs prebuildify`
// writes prebuilds/<platform>-<arch>/ (used by `pnpm run prebuildify`).
"use strict";
const { spawnSync } = require("node:child_process");
const { existsSync } = require("node:fs");
const { dirname, join } = require("node:path");

const prefix = dirname(dirname(process.execPath));
const env = { ...process.env };
if (!env.npm_config_nodedir && existsSync(join(prefix, "include", "node", "node_api.h"))) {
  env.npm_config_nodedir = prefix;
}
const packageDir = join(__dirname, "..");
const bin = (pkg, file) =>
  join(dirname(require.resolve(`${pkg}/package.json`, { paths: [packageDir] })), file);

const modes = {
  install: () => [bin("node-gyp-build", "bin.js")],
  rebuild: () => [bin("node-gyp", "bin/node-gyp.js"), "rebuild"],
  prebuildify: () => [
    bin("prebuildify", "bin.js"),
    "--napi",
    "--strip",
    "--target",
    `node@${process.versions.node}`,
  ],
};
const mode = modes[process.argv[2] ?? "install"];
if (!mode) throw new Error(`unknown mode ${process.argv[2]}; use install, rebuild or prebuildify`);
const args = mode();
const result = spawnSync(process.execPath, args, { cwd: packageDir, env, stdio: "inherit" });
if (result.error) throw result.error;
process.exit(result.status ?? 1);
