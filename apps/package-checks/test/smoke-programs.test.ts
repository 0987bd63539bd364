import { expect, it } from "vitest";
import { SMOKE_PACKAGES } from "./lib/smoke-scripts.js";
import { publishedPackages } from "./lib/tarballs.js";

it("every published package has a smoke program", () => {
  expect(
    publishedPackages()
      .map((p) => p.name)
      .sort(),
  ).toEqual([...SMOKE_PACKAGES].sort());
});
