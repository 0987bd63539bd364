// Interleaved A/B of two builds of @weft/sync (uncontended Lock, Semaphore and RLock paths): each measurement
// is a fresh process (sync-ab-child.mjs), old and new alternate, the order flips every round.
//   node bench/ab/sync-ab.mjs <old dist/index.js> <new dist/index.js> [rounds=6] [case names...]
// Build the old side in a separate worktree (git worktree add --detach ../old <commit>; pnpm install;
// pnpm turbo run build --filter=./packages/sync). Prints ns/op (best of 11 batches per process), medians
// over rounds, and new/old time per round: median [min..max].
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [oldArg, newArg, roundsArg, ...only] = process.argv.slice(2);
if (!oldArg || !newArg)
  throw new Error("usage: sync-ab.mjs <old dist/index.js> <new dist/index.js> [rounds] [cases...]");
const [oldDist, newDist] = [oldArg, newArg].map((p) => pathToFileURL(resolve(p)).href);
const ROUNDS = Number(roundsArg ?? 6);
const cases = only.length
  ? only
  : [
      "Lock acquireSync+release",
      "Lock acquireSync+guard.release",
      "Lock tryAcquire+guard.release",
      "Lock await acquire+release",
      "Semaphore acquireSync+release",
      "Semaphore tryAcquire+guard.release",
      "Semaphore await acquire+release",
      "RLock acquireSync+release",
      "RLock tryAcquire+guard.release",
      "RLock await acquire+release",
    ];
const run = (dist, c) =>
  Number(
    execFileSync(
      process.execPath,
      [fileURLToPath(new URL("./sync-ab-child.mjs", import.meta.url)), dist, c],
      { encoding: "utf8" },
    ).trim(),
  );
const res = Object.fromEntries(cases.map((c) => [c, { old: [], new: [], ratio: [] }]));
for (let r = 0; r < ROUNDS; r++) {
  for (const c of cases) {
    let o, n;
    if (r % 2 === 0) {
      o = run(oldDist, c);
      n = run(newDist, c);
    } else {
      n = run(newDist, c);
      o = run(oldDist, c);
    }
    res[c].old.push(o);
    res[c].new.push(n);
    res[c].ratio.push(n / o);
  }
}
const med = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
console.log(
  `rounds=${ROUNDS}; ns/op (per process: best of 11 batches), medians over rounds; ratio new/old per round: median [min..max]`,
);
for (const [c, v] of Object.entries(res)) {
  console.log(
    `${c.padEnd(36)} old ${med(v.old).toFixed(2).padStart(7)}  new ${med(v.new).toFixed(2).padStart(7)}  ratio ${med(v.ratio).toFixed(3)} [${Math.min(...v.ratio).toFixed(3)}..${Math.max(...v.ratio).toFixed(3)}]`,
  );
}
