// The docs site's public URL (canonical links, the sitemap, Open Graph tags): WEFT_DOCS_SITE when set (e.g.
// a preview deployment), otherwise the root package.json's "homepage", which the packages' registry pages
// link to as well. Only an origin is accepted: every page links to the site's root paths (/api/..., /recipes/...).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./paths.mjs";

/** @param {NodeJS.ProcessEnv} env @returns {string} e.g. "https://weft.dev" */
export function siteUrl(env = process.env) {
  const fromEnv = env.WEFT_DOCS_SITE;
  const raw =
    fromEnv !== undefined && fromEnv !== ""
      ? fromEnv
      : JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).homepage;
  const source = fromEnv ? "WEFT_DOCS_SITE" : 'the root package.json\'s "homepage"';
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError(
      `${source} must be an absolute URL such as https://weft.dev, got ${JSON.stringify(raw)}`,
    );
  }
  if (!["http:", "https:"].includes(url.protocol) || url.pathname !== "/" || url.search || url.hash) {
    throw new TypeError(
      `${source} must be an http(s) origin without a path, query or fragment (such as https://weft.dev), ` +
        `got ${JSON.stringify(raw)}`,
    );
  }
  return url.origin;
}
