// The release step generates an archived version from a git tag; it refuses to run without one, so an
// archive can never be taken from the working tree by mistake.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import versionsFile from "../versions.json";

const script = join(import.meta.dirname, "..", "scripts", "archive-from-ref.mjs");
const run = (...args: string[]) => {
  // A timeout: a synchronous child that never ends would block this thread, where testTimeout cannot act.
  const r = spawnSync(process.execPath, [script, ...args], { encoding: "utf8", timeout: 60_000 });
  if (r.error) throw new Error(`archive-from-ref.mjs ${args.join(" ")}: ${r.error.message}`);
  return { status: r.status, stderr: r.stderr };
};

describe("archive-from-ref (release step)", () => {
  it("requires the release's tag", () => {
    const r = run("9.9");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--ref is required: tag the release first \(git tag v<x\.y\.z> <commit>\)/);
  });

  it("refuses a ref the repository does not have, an unknown option and a bad slug", () => {
    expect(run("9.9", "--ref", "no-such-tag-weft").stderr).toMatch(
      /no-such-tag-weft is not a tag, branch or commit/,
    );
    expect(run("9.9", "--ref", "HEAD", "--from-tree").stderr).toMatch(/unknown option --from-tree/);
    expect(run("../x", "--ref", "HEAD").stderr).toMatch(/usage: archive-from-ref\.mjs <slug> --ref <tag>/);
  });

  it("refuses a version that is already archived", () => {
    const slug = versionsFile.archived[0]?.slug;
    expect(slug).toBeDefined();
    expect(run(slug!, "--ref", "HEAD").stderr).toMatch(
      new RegExp(`version ${slug} is already in versions.json`),
    );
  });
});
