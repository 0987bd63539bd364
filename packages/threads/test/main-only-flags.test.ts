import { describe, expect, it } from "vitest";
import { withoutMainOnlyFlags } from "../src/exec-argv.js";
import { runNode } from "./run-node.js";

describe("main-only Node flags", () => {
  it("are dropped with their values, in every spelling; other options stay in order", () => {
    expect(
      withoutMainOnlyFlags(["--import", "tsx", "--input-type=module", "-e", "code", "--no-warnings"]),
    ).toEqual(["--import", "tsx", "--no-warnings"]);
    expect(withoutMainOnlyFlags(["--input-type", "module", "--eval", "1"])).toEqual([]);
    // `-p`/`--print` take a value only when one follows: `node --print -e code`, `node -e code -p`.
    expect(withoutMainOnlyFlags(["--print", "-e", "code", "--no-warnings"])).toEqual(["--no-warnings"]);
    expect(withoutMainOnlyFlags(["-e", "code", "-p", "--no-warnings"])).toEqual(["--no-warnings"]);
    expect(withoutMainOnlyFlags(["--eval=x()", "-p", "1", "-pe", "2", "--print=3"])).toEqual([]);
    expect(withoutMainOnlyFlags(["-c", "--check", "-i", "--interactive", "--entry-url"])).toEqual([]);
    expect(
      withoutMainOnlyFlags([
        "--test",
        "--test-reporter",
        "spec",
        "--test-name-pattern=x",
        "--test-future-option",
        "value",
        "--experimental-test-coverage",
        "--watch",
        "--watch-path",
        "/tmp",
        "--conditions",
        "dev",
      ]),
    ).toEqual(["--conditions", "dev"]);
    const given = ["-e", "1"];
    expect(withoutMainOnlyFlags(given)).not.toBe(given);
    expect(given).toEqual(["-e", "1"]);
  });

  it("do not stop a `node --input-type=module -e` script from running a Thread", async () => {
    const script = `
      import { Thread } from "@weft/threads";
      const t = new Thread({ target: (a) => a * 2, args: [21] }).start();
      await t.join();
      console.log("result", t.result);
    `;
    const run = await runNode(["--input-type=module", "-e", script]);
    expect(run.stderr).not.toMatch(/ERR_INPUT_TYPE_NOT_ALLOWED/);
    expect(run.stdout).toContain("result 42");
    expect(run.code).toBe(0);
  });

  it("do not stop `node --eval=...` (CommonJS) or a worker refusing a per-process flag", async () => {
    const script = `
      const { Thread } = require("@weft/threads");
      const t = new Thread({ target: () => 7 }).start();
      t.join().then(() => console.log("result", t.result));
    `;
    const run = await runNode(["--expose-gc", "--input-type=commonjs", `--eval=${script}`]);
    expect(run.stdout).toContain("result 7");
    expect(run.code).toBe(0);
  });
});
