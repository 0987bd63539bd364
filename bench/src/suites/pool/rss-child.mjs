// Peak RSS of one contender queueing 100k no-op tasks at once on a pool of 2, measured in its own process
// (so one contender's heap never inflates another's figure). Prints the peak RSS in MB.

import { ThreadPoolExecutor } from "@weft/pool";
import { Piscina } from "piscina";
import { FixedThreadPool } from "poolifier";

const here = new URL("./", import.meta.url);
const N = 100_000;
const which = process.argv[2];
let run;
let close;
if (which === "weft") {
  const pool = new ThreadPoolExecutor({ maxWorkers: 2, minWorkers: 2 });
  const noop = { module: new URL("weft-tasks.mjs", here), export: "noop" };
  run = () => {
    const fs = new Array(N);
    for (let i = 0; i < N; i++) fs[i] = pool.submit(noop, i);
    return Promise.all(fs);
  };
  close = () => pool.shutdown();
} else if (which === "piscina") {
  const pool = new Piscina({
    filename: new URL("piscina-worker.mjs", here).href,
    minThreads: 2,
    maxThreads: 2,
  });
  run = () => {
    const fs = new Array(N);
    for (let i = 0; i < N; i++) fs[i] = pool.run({ kind: "noop", x: i });
    return Promise.all(fs);
  };
  close = () => pool.destroy();
} else if (which === "poolifier") {
  const pool = new FixedThreadPool(2, new URL("poolifier-worker.mjs", here).pathname);
  run = () => {
    const fs = new Array(N);
    for (let i = 0; i < N; i++) fs[i] = pool.execute({ kind: "noop", x: i });
    return Promise.all(fs);
  };
  close = () => pool.destroy();
} else {
  throw new Error(`rss-child: unknown contender ${which}`);
}
await run();
console.log(process.resourceUsage().maxRSS / 1024);
// poolifier's destroy() sometimes never settles: do not let one contender's shutdown hang the suite.
await Promise.race([close(), new Promise((r) => setTimeout(r, 5_000))]);
process.exit(0);
