// Child of native.bench.ts: increments a counter in process-shared memory under a weft Lock and reports
// its own CLOCK_MONOTONIC start/end stamps (process.hrtime.bigint()).
import { SharedMemory } from "@weft/native";
import { marshal } from "@weft/sync";

process.once("message", (msg) => {
  const { lock, start } = marshal.decode(msg.shared);
  const counter = new Int32Array(SharedMemory.attach(msg.name).buffer, msg.offset, 1);
  process.send({ ready: true });
  start.waitSync();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < msg.n; i++) {
    lock.acquireSync();
    counter[0] = counter[0] + 1;
    lock.release();
  }
  const t1 = process.hrtime.bigint();
  process.send({ t0, t1 }, () => process.disconnect());
});
