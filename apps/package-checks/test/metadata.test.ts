import { describe, expect, it } from "vitest";
// @ts-expect-error a plain .mjs script of the repository, without types
import { metadataProblems } from "../../../scripts/package-metadata.mjs";

describe("package metadata", () => {
  it("every package has its repository, homepage, bugs, keywords, LICENSE, caret ranges and registry-safe README", () => {
    expect((metadataProblems as () => string[])()).toEqual([]);
  });
});
