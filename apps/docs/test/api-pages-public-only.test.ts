import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportedNames, internalMembers } from "../scripts/lib/internal-members.mjs";
import { appRoot, repoRoot } from "../scripts/lib/paths.mjs";

// The generated API pages of the current version (what `pnpm docs:build` wrote; archived versions are not
// regenerated) list only what a user calls: no internal member, no extension API.
const apiDir = join(appRoot, "src/content/docs/api");
const packagesDir = join(repoRoot, "packages");

/** What the packages export on their extension subpaths and not from any user index. */
function extensionOnlyNames(): Set<string> {
  const read = (file: string) =>
    readdirSync(packagesDir)
      .map((pkg) => join(packagesDir, pkg, "src", file))
      .filter(existsSync)
      .map((path) => exportedNames(readFileSync(path, "utf8")));
  const user = new Set(read("index.ts").flatMap((names) => [...names]));
  return new Set(read("extension.ts").flatMap((names) => [...names].filter((n) => !user.has(n))));
}

describe("the API pages publish no internal member", () => {
  it("finds leaked members in a page (the checker can fail)", () => {
    const page = [
      "### Lock",
      "##### \\[kState\\]",
      "##### \\[dispose\\]()",
      "##### \\_abort()",
      "##### acquire()",
      "### ALL\\_COMPLETED",
      "### ExecutorCore",
      "Marked @internal here.",
    ].join("\n");
    expect(internalMembers(page, new Set(["ExecutorCore"])).map((m) => m.name)).toEqual([
      "[kState]",
      "_abort",
      "ExecutorCore",
      "Marked @internal here.",
    ]);
  });

  it("reads the extension API from the packages' extension.ts files", () => {
    const names = extensionOnlyNames();
    for (const name of ["ExecutorCore", "serveTasks", "wire", "describeTarget", "checkTimeout"])
      expect(names).toContain(name);
    expect(names).not.toContain("ThreadPoolExecutor");
  });

  it("every generated page of the current version is clean", () => {
    expect(existsSync(apiDir), `${apiDir} is missing: run pnpm docs:build first`).toBe(true);
    const extension = extensionOnlyNames();
    const pages = readdirSync(apiDir).filter((f) => f.endsWith(".md"));
    expect(pages.length).toBeGreaterThan(5);
    const leaks = pages.flatMap((page) =>
      internalMembers(readFileSync(join(apiDir, page), "utf8"), extension).map(
        (m) => `${page}:${m.line} ${m.name} (${m.why})`,
      ),
    );
    expect(leaks).toEqual([]);
  });
});
