// The pages a newcomer starts from (getting started, choosing, migrating), in the built site, and the
// site's configurable URL.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appRoot, repoRoot } from "../scripts/lib/paths.mjs";
import { siteUrl } from "../scripts/lib/site-url.mjs";

const dist = join(appRoot, "dist");
function page(path: string): string {
  const file = join(dist, path, "index.html");
  expect(existsSync(file), `${path} is not in the built site (build the docs first)`).toBe(true);
  return readFileSync(file, "utf8");
}
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;|\u2019/g, "'")
    .replace(/&quot;|&#34;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

const published = readdirSync(join(repoRoot, "packages"))
  .map((d) => join(repoRoot, "packages", d, "package.json"))
  .filter((f) => existsSync(f))
  .map((f) => JSON.parse(readFileSync(f, "utf8")))
  .filter((p) => p.private !== true);

describe("getting started", () => {
  const html = page("getting-started");
  const body = text(html);

  it("has the install command of every published package", () => {
    expect(published.length).toBeGreaterThan(0);
    for (const p of published) expect(body).toContain(`npm install ${p.name}`);
  });

  it("states the supported Node.js versions and platforms, and the pnpm/npm notes", () => {
    const engines = published.map((p) => p.engines.node as string);
    expect(new Set(engines).size).toBe(1);
    expect(body).toContain(`Node.js ${engines[0]!.replace(">=", "")} or newer`);
    expect(body).toMatch(/Node 20, 22 and 24/);
    const native = published.find((p) => p.name === "@weft/native");
    expect(body).toContain(`"os": ${JSON.stringify(native.os)}`.replace(/,/g, ", "));
    expect(body).toContain(`"cpu": ${JSON.stringify(native.cpu)}`.replace(/,/g, ", "));
    expect(body).toContain("glibc 2.17");
    expect(body).toContain("ERR_PNPM_IGNORED_BUILDS");
    expect(body).toContain("optional peer");
  });

  it("links to the Bundling pages, the guide, the migration tables and the API", () => {
    for (const href of ["/bundling/", "/choosing/", "/migrating/", "/api/overview/"]) {
      expect(html).toContain(`href="${href}"`);
    }
  });
});

describe("choosing threads, processes or native", () => {
  it("compares the three on the same rows and says when to use each", () => {
    const body = text(page("choosing"));
    for (const heading of ["Use threads when", "Use processes when", "Use native when"]) {
      expect(body).toContain(heading);
    }
    for (const row of [
      "start-up",
      "arguments and results",
      "shared memory",
      "a crash",
      "Python's equivalent",
    ]) {
      expect(body).toContain(row);
    }
  });
});

describe("migration tables", () => {
  const html = page("migrating");

  it("has a table from piscina, tinypool and workerpool and one from Python", () => {
    const tables = html.match(/<table>[\s\S]*?<\/table>/g) ?? [];
    expect(tables.length).toBeGreaterThanOrEqual(2);
    const peers = text(tables[0]!);
    for (const name of ["piscina", "tinypool", "workerpool", "weft"]) expect(peers).toContain(name);
    for (const call of ["pool.run(", "pool.exec(", "pool.submit(", "maxQueue", "transfer("])
      expect(peers).toContain(call);
    const python = text(tables[1]!);
    for (const call of [
      "ThreadPoolExecutor",
      "as_completed",
      "asCompleted",
      "threading.Lock()",
      "contextvars",
    ]) {
      expect(python).toContain(call);
    }
  });
});

describe("the site's URL", () => {
  it("is the root package.json's homepage unless WEFT_DOCS_SITE says otherwise", () => {
    const homepage = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).homepage;
    expect(siteUrl({})).toBe(new URL(homepage).origin);
    expect(siteUrl({ WEFT_DOCS_SITE: "https://docs.example.org" })).toBe("https://docs.example.org");
    expect(siteUrl({ WEFT_DOCS_SITE: "" })).toBe(new URL(homepage).origin);
  });

  it("refuses what is not an http(s) origin, naming the variable", () => {
    expect(() => siteUrl({ WEFT_DOCS_SITE: "weft.dev" })).toThrow(/WEFT_DOCS_SITE must be an absolute URL/);
    expect(() => siteUrl({ WEFT_DOCS_SITE: "https://x.org/docs/" })).toThrow(/without a path/);
    expect(() => siteUrl({ WEFT_DOCS_SITE: "ftp://x.org" })).toThrow(/http\(s\) origin/);
  });

  it("is what every built page's canonical link starts with (no weft.invalid left)", () => {
    const expected = process.env.WEFT_DOCS_SITE || siteUrl({});
    const html = page("getting-started");
    expect(html).toContain(`<link rel="canonical" href="${expected}/getting-started/"`);
    expect(html).not.toContain("weft.invalid");
  });
});
