#!/usr/bin/env node
// Creates the skeleton of a new workspace package: `node scripts/new-package.mjs <name> "<description>"`.
// It writes package.json (exports map for import/require/types), tsconfig, tsup and vitest configs,
// a README and src/index.ts. Add real code and a test before committing.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [name, description = ""] = process.argv.slice(2);
if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) {
  console.error('usage: node scripts/new-package.mjs <name: lowercase, digits, dashes> "<description>"');
  process.exit(2);
}
const dir = join("packages", name);
if (existsSync(dir)) {
  console.error(`${dir} already exists`);
  process.exit(2);
}
mkdirSync(join(dir, "src"), { recursive: true });
mkdirSync(join(dir, "test"), { recursive: true });

const pkg = {
  name: `@weft/${name}`,
  version: "0.0.0",
  description,
  license: "MIT",
  type: "module",
  sideEffects: false,
  engines: { node: ">=20.10" },
  main: "./dist/index.cjs",
  module: "./dist/index.js",
  types: "./dist/index.d.ts",
  exports: {
    ".": {
      import: { types: "./dist/index.d.ts", default: "./dist/index.js" },
      require: { types: "./dist/index.d.cts", default: "./dist/index.cjs" },
    },
    "./package.json": "./package.json",
  },
  files: ["dist", "README.md"],
  scripts: {
    build: "tsup",
    typecheck: "tsc --noEmit -p tsconfig.json",
    test: "vitest run",
  },
  publishConfig: { access: "public" },
};
const write = (file, text) => writeFileSync(join(dir, file), text);
write("package.json", `${JSON.stringify(pkg, null, 2)}\n`);
write(
  "tsconfig.json",
  `${JSON.stringify({ extends: "../../tsconfig.base.json", compilerOptions: { rootDir: "." }, include: ["src", "test"] }, null, 2)}\n`,
);
write(
  "tsup.config.ts",
  `import { defineConfig } from "tsup";
import { builtinImports } from "../../scripts/builtin-imports.mjs";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  esbuildPlugins: [builtinImports()],
  target: "node20",
  dts: { compilerOptions: { ignoreDeprecations: "6.0" } },
  sourcemap: false, // not shipped: see CONTRIBUTING.md "Source maps"
  clean: true,
});
`,
);
write(
  "vitest.config.ts",
  `import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "${name}", include: ["test/**/*.test.ts"] },
});
`,
);
write("README.md", `# @weft/${name}\n\n${description}\n`);
write("src/index.ts", "export {};\n");
console.log(`created ${dir}; add it to the package table in README.md`);
