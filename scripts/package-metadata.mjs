// The registry metadata of every published package, derived from one place: the root package.json's
// `repository`, `homepage` and `bugs`, the root LICENSE, and a package's own keywords below.
//
//   node scripts/package-metadata.mjs           report what is out of date (exit 1 if anything is)
//   node scripts/package-metadata.mjs --write   bring every package up to date
//
// Each package gets `repository` (with its `directory`), `homepage` (its page on the docs site), `bugs`,
// `keywords`, `license`, a copy of LICENSE, and `files` that ship LICENSE, README.md and CHANGELOG.md.
// README links must work on the registry's page, which shows only the README: no relative links.
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = join(import.meta.dirname, "..");

/** Keywords per package directory (the registry's search reads them). */
const KEYWORDS = {
  sync: ["lock", "mutex", "semaphore", "condition-variable", "barrier", "atomics", "sharedarraybuffer"],
  "local-storage": ["thread-local", "contextvars", "asynclocalstorage", "context-propagation"],
  threads: ["threads", "worker-threads", "threading", "parallelism"],
  pool: ["thread-pool", "worker-pool", "executor", "futures", "concurrent-futures", "worker-threads"],
  "process-pool": ["process-pool", "child-process", "multiprocessing", "executor", "futures"],
  native: ["shared-memory", "futex", "multiprocessing", "native-addon", "node-api", "libuv"],
};
const COMMON_KEYWORDS = ["weft", "concurrency", "python"];
const SHIPPED = ["README.md", "CHANGELOG.md", "LICENSE"];

export function publishedPackages() {
  return readdirSync(join(root, "packages"))
    .filter((d) => existsSync(join(root, "packages", d, "package.json")))
    .map((dir) => {
      const file = join(root, "packages", dir, "package.json");
      return { dir, file, pkg: JSON.parse(readFileSync(file, "utf8")) };
    })
    .filter(({ pkg }) => pkg.private !== true);
}

export function rootMetadata() {
  const rootPkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  for (const key of ["repository", "homepage", "bugs", "license"]) {
    if (!rootPkg[key]) throw new Error(`the root package.json has no "${key}"`);
  }
  return rootPkg;
}

/** What `dir`'s package.json should hold for each metadata key. */
export function expectedMetadata(dir, pkg) {
  const { repository, homepage, bugs, license } = rootMetadata();
  const base = homepage.replace(/\/$/, "");
  const files = [...pkg.files];
  for (const f of SHIPPED) if (!files.includes(f)) files.push(f);
  return {
    license,
    repository: { type: "git", url: repository.url, directory: `packages/${dir}` },
    homepage: `${base}/api/${dir}/`,
    bugs: { url: bugs.url },
    keywords: [...COMMON_KEYWORDS, ...(KEYWORDS[dir] ?? [])],
    files,
  };
}

/** Every way the packages differ from what they should be; empty when all is up to date. */
export function metadataProblems() {
  const problems = [];
  const license = readFileSync(join(root, "LICENSE"), "utf8");
  for (const { dir, pkg } of publishedPackages()) {
    const where = `packages/${dir}`;
    for (const [key, value] of Object.entries(expectedMetadata(dir, pkg))) {
      if (JSON.stringify(pkg[key]) !== JSON.stringify(value))
        problems.push(`${where}/package.json: "${key}"`);
    }
    const copy = join(root, where, "LICENSE");
    if (!existsSync(copy) || readFileSync(copy, "utf8") !== license) problems.push(`${where}/LICENSE`);
    for (const [name, range] of Object.entries(pkg.dependencies ?? {})) {
      if (!range.startsWith("workspace:") && !range.startsWith("^")) {
        problems.push(
          `${where}/package.json: dependency ${name} is pinned to "${range}" (use a caret range)`,
        );
      }
    }
    const readme = readFileSync(join(root, where, "README.md"), "utf8");
    if (!readme.includes(`npm install ${pkg.name}`))
      problems.push(`${where}/README.md: no \`npm install ${pkg.name}\``);
    for (const [, target] of readme.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (!/^(https?:|#|mailto:)/.test(target)) {
        problems.push(`${where}/README.md: relative link ${target} (the registry shows only the README)`);
      }
    }
  }
  return problems;
}

function write() {
  const license = join(root, "LICENSE");
  for (const { dir, file, pkg } of publishedPackages()) {
    const expected = expectedMetadata(dir, pkg);
    // keep a stable key order: metadata right after "description"
    const out = {};
    for (const [key, value] of Object.entries(pkg)) {
      if (key in expected && key !== "files" && key !== "license") continue;
      out[key] = key === "files" ? expected.files : key === "license" ? expected.license : value;
      if (key === "description") {
        for (const k of ["keywords", "homepage", "bugs", "repository"]) out[k] = expected[k];
      }
    }
    writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
    copyFileSync(license, join(root, "packages", dir, "LICENSE"));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === "--write") write();
  const problems = metadataProblems();
  if (problems.length > 0) {
    console.error(`package metadata out of date:\n  ${problems.join("\n  ")}`);
    console.error("run `node scripts/package-metadata.mjs --write`, and fix READMEs by hand");
    process.exit(1);
  }
  console.log("package metadata: up to date");
}
