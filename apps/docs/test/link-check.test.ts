import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkLinks } from "../scripts/lib/link-check.mjs";

const root = mkdtempSync(join(tmpdir(), "weft-links-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function page(path: string, body: string) {
  mkdirSync(join(root, path), { recursive: true });
  writeFileSync(join(root, path, "index.html"), `<!doctype html><html><body>${body}</body></html>`);
}

describe("post-build link checker", () => {
  it("accepts links to pages, files and anchors that exist, and ignores external links", () => {
    page(
      "",
      '<a href="/guide/">g</a><a href="guide/#usage">u</a><img src="/logo.svg"><a href="https://x.org/nope">x</a>',
    );
    page("guide", '<h2 id="usage">Usage</h2><a href="../">home</a><a href="#usage">self</a>');
    writeFileSync(join(root, "logo.svg"), "<svg/>");
    expect(checkLinks(root)).toEqual({ pages: 2, links: 5, broken: [] });
  });

  it("reports missing pages, missing files and missing anchors with the page they are on", () => {
    page(
      "bad",
      '<a href="/nowhere/">a</a><a href="/guide/#install">b</a><script src="/app.js"></script><a href=&#x2F;gone&#x2F;>c</a>',
    );
    const { broken } = checkLinks(root);
    expect(broken).toEqual([
      { page: "/bad/", link: "/nowhere/", why: "no such page or file" },
      { page: "/bad/", link: "/guide/#install", why: 'no element with id "install"' },
      { page: "/bad/", link: "/app.js", why: "no such page or file" },
      { page: "/bad/", link: "/gone/", why: "no such page or file" },
    ]);
  });
});
