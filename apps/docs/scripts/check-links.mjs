#!/usr/bin/env node
// Post-build check: fails the docs build when any page links to a page, file or #anchor that does not exist.
import { join } from "node:path";
import { checkLinks } from "./lib/link-check.mjs";
import { appRoot } from "./lib/paths.mjs";

const { pages, links, broken } = checkLinks(join(appRoot, "dist"));
if (broken.length > 0) {
  console.error(`${broken.length} broken internal link(s) in the built site:`);
  for (const b of broken.slice(0, 200)) console.error(`  ${b.page} -> ${b.link} (${b.why})`);
  process.exit(1);
}
console.log(`Links: ${links} internal links on ${pages} pages, none broken`);
