// An archived version is a frozen copy of the docs: its pages must link to its own pages, never to the
// current docs, except for the site title and the "switch to the latest version" notice.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeEntities } from "../scripts/lib/link-check.mjs";
import versionsFile from "../versions.json";

const dist = join(import.meta.dirname, "..", "dist");
const anchor = /<a\b([^>]*)>([\s\S]*?)<\/a>/gi;
const hrefOf = (attrs: string) => /\shref=(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i.exec(attrs);

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? htmlFiles(join(dir, e.name)) : e.name.endsWith(".html") ? [join(dir, e.name)] : [],
  );
}

describe("archived versions", () => {
  for (const { slug } of versionsFile.archived) {
    it(`${slug}: every page exists in the build and links only within ${slug}`, () => {
      const root = join(dist, slug);
      expect(existsSync(join(root, "index.html")), `dist/${slug} missing: build the docs first`).toBe(true);
      const files = htmlFiles(root);
      expect(files.some((f) => f.includes(`${slug}/recipes/`))).toBe(true);
      expect(files.some((f) => f.includes(`${slug}/api/`))).toBe(true);
      const escaping: string[] = [];
      for (const file of files) {
        for (const [, attrs = "", text = ""] of readFileSync(file, "utf8").matchAll(anchor)) {
          const m = hrefOf(attrs);
          const raw = m?.[1] ?? m?.[2] ?? m?.[3];
          const href = raw === undefined ? undefined : decodeEntities(raw);
          if (!href?.startsWith("/") || href.startsWith(`/${slug}/`)) continue;
          if (attrs.includes("site-title") || /latest version/i.test(text)) continue;
          escaping.push(`${file.slice(dist.length)} -> ${href}`);
        }
      }
      expect(escaping).toEqual([]);
    });
  }
});
