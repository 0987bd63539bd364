// 12.9 Native code that releases the event loop
//
// Python's answer to the GIL is C code that runs between Py_BEGIN_ALLOW_THREADS and Py_END_ALLOW_THREADS.
// Node's "GIL" is its single JavaScript thread: @weft/native runs C++ kernels on libuv's thread pool
// (napi_async_work); the kernel touches no JavaScript value, so the event loop stays free and two jobs use
// two cores. Here the kernel is a SHA-256 written in C++ for the addon.
import { randomFillSync } from "node:crypto";
import { nativeJobStats, runNativeSync, sha256 } from "@weft/native";

const size = 32 << 20; // 32 MiB per buffer
const a = randomFillSync(new Uint8Array(size));
const b = randomFillSync(new Uint8Array(size));
const hex = (d: Uint8Array) => Buffer.from(d).toString("hex").slice(0, 16);

let ticks = 0;
const timer = setInterval(() => ticks++, 1); // the "is the event loop alive?" probe

// 1. Like C code that keeps the GIL: the same kernel on the main thread blocks everything.
let t = performance.now();
const sa = runNativeSync("sha256", a);
const sb = runNativeSync("sha256", b);
const blockingMs = performance.now() - t;
console.log(
  `on the main thread: 2 x 32 MiB hashed in ${blockingMs.toFixed(0)} ms, timer ticks meanwhile: ${ticks}`,
);

// 2. Like C code that releases the GIL: the kernel on libuv's pool, one job per core.
await new Promise((r) => setTimeout(r, 5));
ticks = 0;
nativeJobStats(true);
t = performance.now();
const fa = sha256(a);
const fb = sha256(b);
console.log(`submitted: fa.done() = ${fa.done()}, fb.done() = ${fb.done()} (the loop is free right away)`);
const [da, db] = await Promise.all([fa, fb]);
const poolMs = performance.now() - t;
clearInterval(timer);

const ta = fa.timing!;
const tb = fb.timing!;
const overlapped = ta.startedAt < tb.finishedAt && tb.startedAt < ta.finishedAt;
console.log(
  `on libuv's pool:    2 x 32 MiB hashed in ${poolMs.toFixed(0)} ms, timer ticks meanwhile: ${ticks}`,
);
console.log(`  job A on thread ${ta.thread}, job B on thread ${tb.thread}; they overlapped: ${overlapped}`);
console.log(`  most jobs in flight at once: ${nativeJobStats().maxInFlight}`);
console.log(
  `  same digests as on the main thread: ${hex(da) === hex(sa) && hex(db) === hex(sb)} (${hex(da)}...)`,
);
// A ratio of two timings on a machine that may be busy: printed with what it means, never with a bound
// that a noisy run could contradict. The facts above (overlap, jobs in flight, ticks) do not depend on load.
console.log(
  `  time on the pool / time blocking: ${(poolMs / blockingMs).toFixed(2)} (below 1: the pool took less wall time)`,
);
