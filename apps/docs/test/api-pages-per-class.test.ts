// The API reference gives every exported class a page of its own (what a reader looks up), linked from its
// package's page, and keeps functions, types and constants on the package page.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportedNames } from "../scripts/lib/internal-members.mjs";
import { appRoot, repoRoot } from "../scripts/lib/paths.mjs";

const apiDir = join(appRoot, "src/content/docs/api");
const classPage = /^([a-z-]+)\.Class\.(\w+)\.md$/;

function classPages(): { pkg: string; name: string; file: string }[] {
  expect(existsSync(apiDir), "build the docs first (pnpm docs:build)").toBe(true);
  return readdirSync(apiDir)
    .map((file) => ({ file, m: classPage.exec(file) }))
    .filter((x) => x.m !== null)
    .map(({ file, m }) => ({ pkg: m![1]!, name: m![2]!, file }));
}

describe("API pages per class", () => {
  it("the main classes of every package have a page of their own", () => {
    const names = new Set(classPages().map((p) => `${p.pkg}.${p.name}`));
    for (const expected of [
      "sync.Lock",
      "sync.Condition",
      "local-storage.ContextLocal",
      "threads.Thread",
      "pool.ThreadPoolExecutor",
      "pool.Future",
      "process-pool.ProcessPoolExecutor",
      "native.SharedMemory",
    ]) {
      expect(names, expected).toContain(expected);
    }
  });

  it("each class page is a class its package's index exports, and the package page links to it", () => {
    const pages = classPages();
    expect(pages.length).toBeGreaterThan(20);
    for (const { pkg, name, file } of pages) {
      const index = readFileSync(join(repoRoot, "packages", pkg, "src", "index.ts"), "utf8");
      expect(exportedNames(index), `${file}: ${name} is not exported by @weft/${pkg}`).toContain(name);
      const packagePage = readFileSync(join(apiDir, `${pkg}.md`), "utf8");
      expect(packagePage, `${pkg}.md does not link to ${name}`).toContain(
        `](/api/${pkg}class${name.toLowerCase()}/)`,
      );
    }
  });

  it("a class's members are on its own page, not on the package page", () => {
    const pool = readFileSync(join(apiDir, "pool.md"), "utf8");
    const executor = readFileSync(join(apiDir, "pool.Class.ThreadPoolExecutor.md"), "utf8");
    expect(executor).toMatch(/#+ submit\(\)/);
    expect(pool).not.toMatch(/#+ submit\(\)/);
  });
});
