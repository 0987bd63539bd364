import { randomBytes } from "node:crypto";

// Its own module (not names.ts): the extension API's graph, which a pool child loads, then has no node:crypto.

/** `weft-<pid>-<24 random hex digits>`: unguessable, and says which process made it. */
export function randomName(): string {
  return `weft-${process.pid}-${randomBytes(12).toString("hex")}`;
}
