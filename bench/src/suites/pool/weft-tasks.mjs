import { transfer } from "@weft/pool";
import { echo } from "./tasks.mjs";

export { noop, spin, threadId } from "./tasks.mjs";

/** The buffer goes back moved, not copied. */
export function echoMoved(buf) {
  return transfer(echo(buf), [buf]);
}
