// Runs one compiled recipe the way `pnpm demo` does (node <file>, cwd = repo root) and collects its output.
import { spawn } from "node:child_process";
import { repoRoot } from "./paths.mjs";

/**
 * @typedef {object} RecipeRun
 * @property {number | null} exitCode
 * @property {string | null} signal
 * @property {string} output   stdout and stderr, in arrival order, without set-up notices (SETUP_NOTICE)
 * @property {number} ms
 * @property {boolean} timedOut
 */

/**
 * Lines the project's own set-up scripts print about the machine (e.g. "[setup] installing redis-server ...",
 * printed only where Redis was missing): not part of what a recipe prints, so neither captured nor compared.
 */
export const SETUP_NOTICE = /^\[setup\] .*(?:\r?\n|$)/gm;

/** @returns {Promise<RecipeRun>} */
export function runRecipe(compiled, { timeoutMs = 120_000 } = {}) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [compiled], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    });
    const chunks = [];
    child.stdout.on("data", (c) => chunks.push(c));
    child.stderr.on("data", (c) => chunks.push(c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      resolve({
        exitCode,
        signal,
        output: Buffer.concat(chunks).toString("utf8").replace(SETUP_NOTICE, ""),
        ms: Math.round(performance.now() - started),
        timedOut,
      });
    });
  });
}

/** Runs `items` through `fn` with at most `limit` in flight, keeping the input order in the result. */
export async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  });
  await Promise.all(lanes);
  return results;
}
