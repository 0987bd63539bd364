import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const cwd = fileURLToPath(new URL("..", import.meta.url));

/**
 * The Node built-in modules that loading `specifier` in a fresh process adds. The script writes with
 * fs.writeSync so that it does not open process.stdout itself.
 */
function builtinsLoadedBy(specifier: string): string[] {
  const script = `
    import { writeSync } from "node:fs";
    const before = new Set(process.moduleLoadList);
    await import(${JSON.stringify(specifier)});
    writeSync(1, JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m))));
  `;
  // A timeout: a synchronous child that never ends would block this thread, where testTimeout cannot act.
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd,
    encoding: "utf8",
    timeout: 30_000,
  });
  expect(run.error, "the child did not end within 30 s").toBeUndefined();
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as string[];
}

// `import ... from "node:process"` builds an ESM namespace of every property of `process`, which opens
// stdout and stderr (net, tty, streams) and loads the report module: about 2 ms of every cold start.
const STDIO = ["NativeModule net", "NativeModule tty", "NativeModule internal/process/report"];

describe("importing weft opens no stdio streams", () => {
  for (const specifier of ["@weft/pool", "@weft/threads", "@weft/sync", "@weft/local-storage"]) {
    it(`import("${specifier}") loads none of net, tty or the process report`, () => {
      expect(builtinsLoadedBy(specifier).filter((m) => STDIO.includes(m))).toEqual([]);
    });
  }
});
