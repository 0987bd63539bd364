import { createHash } from "node:crypto";

/** Short sha256 of a recipe's source: ties a captured output to the exact code that printed it. */
export function sourceHash(text) {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}
