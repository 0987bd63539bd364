// Writes "name <epoch ms>" to stderr at once (synchronously, from any thread or process): phases.mjs reads them.
import { performance } from "node:perf_hooks";

export function mark(name) {
  process._rawDebug(`${name} ${(performance.timeOrigin + performance.now()).toFixed(2)}`);
}
