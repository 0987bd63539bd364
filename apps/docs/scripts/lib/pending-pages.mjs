// Pages that other pages link to before they are in this tree: the Bundling pages are written on another
// branch. While one is missing, links to it are not reported (by starlight-links-validator and by the
// post-build check); once its file exists, they are checked like every other link.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { appRoot } from "./paths.mjs";

const PENDING = [{ path: "/bundling/", file: "src/content/docs/bundling/index.md" }];

/** URL paths of pending pages whose file does not exist yet, e.g. ["/bundling/"]. */
export function pendingPages() {
  return PENDING.filter((p) => !existsSync(join(appRoot, p.file))).map((p) => p.path);
}
