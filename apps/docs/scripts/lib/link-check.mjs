// Finds broken internal links in a built static site: every href/src of every HTML page that points inside
// the site must resolve to a file (a directory URL to its index.html), and a #fragment must name an id
// (or a named anchor) on the target page.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

const attr =
  /<(?:a|link|script|img|source|iframe)\b[^>]*?\s(?:href|src)=(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
const idAttr = /\s(?:id|name)=(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
const external = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

function* htmlFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* htmlFiles(path);
    else if (entry.name.endsWith(".html")) yield path;
  }
}

/** Decodes the HTML entities that appear in attribute values (named ones Astro emits, and numeric ones). */
export const decodeEntities = (s) =>
  s
    .replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** URL path of a page file, e.g. dist/a/b/index.html -> /a/b/ */
function pageUrl(root, file) {
  const rel = relative(root, file).split(sep).join("/");
  return `/${rel.replace(/(^|\/)index\.html$/, "$1")}`;
}

/** The file a site path serves, or undefined. */
function targetFile(root, pathname) {
  let p;
  try {
    p = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const candidates = p.endsWith("/")
    ? [join(root, p, "index.html")]
    : [join(root, p), join(root, p, "index.html")];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/**
 * @param {string} root  the built site directory
 * @returns {{ pages: number, links: number, broken: { page: string, link: string, why: string }[] }}
 */
export function checkLinks(root) {
  const ids = new Map();
  const idsOf = (file) => {
    let set = ids.get(file);
    if (!set) {
      set = new Set();
      for (const m of readFileSync(file, "utf8").matchAll(idAttr))
        set.add(decodeEntities(m[1] ?? m[2] ?? m[3] ?? ""));
      ids.set(file, set);
    }
    return set;
  };
  const broken = [];
  let pages = 0;
  let links = 0;
  for (const file of htmlFiles(root)) {
    pages++;
    const base = new URL(pageUrl(root, file), "http://site.invalid");
    for (const m of readFileSync(file, "utf8").matchAll(attr)) {
      const raw = decodeEntities((m[1] ?? m[2] ?? m[3] ?? "").trim());
      if (raw === "" || external.test(raw)) continue;
      links++;
      const url = new URL(raw, base);
      const page = base.pathname;
      const target =
        url.pathname === base.pathname && raw.startsWith("#") ? file : targetFile(root, url.pathname);
      if (!target) {
        broken.push({ page, link: raw, why: "no such page or file" });
        continue;
      }
      const fragment = url.hash.slice(1);
      if (fragment !== "" && target.endsWith(".html")) {
        let frag = fragment;
        try {
          frag = decodeURIComponent(fragment);
        } catch {}
        if (!idsOf(target).has(frag)) broken.push({ page, link: raw, why: `no element with id "${frag}"` });
      }
    }
  }
  return { pages, links, broken };
}
