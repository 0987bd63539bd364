import { execFileSync, spawn } from "node:child_process";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { nodeBinary, OTHER_NODES } from "./node-versions.js";
import { cleanEnv, repoRoot } from "./tarballs.js";

/**
 * The package test projects run on Node 22 and 24 as well. Chosen for what differs between Node releases
 * within CI's time: the native addon (V8's C++ API), shared-memory primitives and the marshal walk (Atomics,
 * stack depth), and AsyncLocalStorage (rebuilt on AsyncContextFrame in Node 24). The thread and process pools
 * run on 22 and 24 through every tarball's smoke programs (describe-install-alone.ts); their own suites, like
 * the docs' browser tests, run on Node 20 only, and so do the stress tests (load and scheduling, not the
 * Node release, are what they vary).
 */
const SUITES_ON_OTHER_NODES = ["sync", "local-storage", "native"];
const NOT_ON_OTHER_NODES = ["**/stress.test.ts", "**/*-stress.test.ts"];

/**
 * Runs this repository's vitest on another Node, with this run's NODE_PATH (pnpm's bin wrapper sets it, and
 * a test resolves a package specifier from the working directory through it).
 */
function vitestOn(node: string, projects: string[]): Promise<{ code: number | null; output: string }> {
  const vitest = join(repoRoot, "node_modules", "vitest", "vitest.mjs");
  const args = [
    vitest,
    "run",
    ...projects.flatMap((p) => ["--project", p]),
    ...NOT_ON_OTHER_NODES.flatMap((g) => ["--exclude", g]),
  ];
  return new Promise((resolve, reject) => {
    // A process group of its own, so that the whole nested run (its vitest and vitest's test workers) can be
    // stopped: a stuck test file there would otherwise outlive this test's timeout, and this run.
    const child = spawn(node, args, {
      cwd: repoRoot,
      env: { ...cleanEnv(), FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    // Well inside the test's timeout (300 s), so that the report below says what the nested run was doing.
    const deadline = setTimeout(() => {
      output += `\n[package-checks] the run on ${node} did not end within ${NESTED_RUN_MS / 1000} s: killed\n`;
      killGroup();
    }, NESTED_RUN_MS);
    child.once("error", (e) => {
      clearTimeout(deadline);
      killGroup();
      reject(e);
    });
    child.once("close", (code) => {
      clearTimeout(deadline);
      resolve({ code, output });
    });
  });
}

/** How long a nested run may take (it took up to 130 s on a loaded 2-core machine). */
const NESTED_RUN_MS = 270_000;

/** The package test suites chosen above, on each of OTHER_NODES. */
export function describeOtherNodeSuites(): void {
  describe.concurrent.each(OTHER_NODES.map((v) => [v]))("on Node %s", (version) => {
    it(`the ${SUITES_ON_OTHER_NODES.join(", ")} test suites pass`, async () => {
      const node = nodeBinary(version);
      expect(execFileSync(node, ["-v"], { encoding: "utf8", timeout: 30_000 }).trim()).toBe(`v${version}`);
      const { code, output: raw } = await vitestOn(node, SUITES_ON_OTHER_NODES);
      const output = stripVTControlCharacters(raw);
      const failures = output.split("\n").filter((l) => /^\s*(FAIL\b|×)/.test(l));
      // on failure, the end of vitest's output says why (a failing test, an unhandled error, a crash)
      const tail = code === 0 && failures.length === 0 ? "" : output.split("\n").slice(-60).join("\n");
      expect({ code, failures, tail }).toEqual({ code: 0, failures: [], tail: "" });
      expect(output).toMatch(/Tests\s+\d+ passed/);
    });
  });
}
