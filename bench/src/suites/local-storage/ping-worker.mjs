// Worker for the "import cost" suites. A number is echoed back at once (MessagePort ping-pong); { awaits: n }
// runs n sequential `await null` and answers the mean ns per await. With workerData.importWeft it first
// imports @weft/local-storage (as a pool worker does) and uses nothing from it.
import { parentPort, workerData } from "node:worker_threads";

if (workerData.importWeft) await import("@weft/local-storage");

async function awaitLoop(n) {
  const start = performance.now();
  for (let i = 0; i < n; i++) await null;
  return ((performance.now() - start) * 1e6) / n;
}

parentPort.on("message", (msg) => {
  if (typeof msg === "number") parentPort.postMessage(msg);
  else awaitLoop(msg.awaits).then((ns) => parentPort.postMessage(ns));
});
parentPort.postMessage("ready");
