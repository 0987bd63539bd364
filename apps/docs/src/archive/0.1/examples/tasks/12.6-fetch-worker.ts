// Worker of recipe 12.6: restores the caller's context (its request id), runs test() on its own connection
// and reports back.
import { parentPort, workerData } from "node:worker_threads";
import { type ContextSnapshot, runWith } from "@weft/local-storage";
import { type Address, LazyConnection, test } from "./12.6-lazy-connection.js";

const { address, snap } = workerData as { address: Address; snap: ContextSnapshot | undefined };
const conn = new LazyConnection(address);
const report = await runWith(snap, () => test(conn, 2));
parentPort?.postMessage(report);
