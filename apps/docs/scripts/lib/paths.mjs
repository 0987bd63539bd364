// Where things live, relative to this app and to the monorepo.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** apps/docs */
export const appRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** the monorepo root */
export const repoRoot = join(appRoot, "..", "..");
/** recipe sources and their compiled files */
export const examplesSrc = join(repoRoot, "docs", "examples", "src");
export const examplesDist = join(repoRoot, "docs", "examples", "dist");
/** JSON written by the bench harness */
export const benchResults = join(repoRoot, "bench", "results");
/** files the docs build generates for the current version (gitignored) */
export const generatedDir = join(appRoot, "src", "generated");
/** frozen data of archived versions (committed) */
export const archiveDir = join(appRoot, "src", "archive");
