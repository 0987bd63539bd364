import { type ChildProcess, execFile, fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { SharedMemory } from "@weft/native";
import { Event, Lock, marshal } from "@weft/sync";
import type { Contender, Suite } from "../harness.js";

// Cross-process locked increments: N processes each add 1 to a plain counter in shared memory under a
// lock, `perProcess` times. Sample = wall time per increment in ns, from the children's own monotonic
// stamps (first start to last end), so process start-up is excluded on both sides. Python 3's
// multiprocessing.Lock runs live in the same run as the peer (anchor: 625 ns with 2 processes).

const perProcess = 200_000;
const child = fileURLToPath(new URL("./native/lock-child.mjs", import.meta.url));
const python = fileURLToPath(new URL("./native/mp_lock.py", import.meta.url));
const run = promisify(execFile);

function weft(processes: number): Contender {
  let shm: SharedMemory | undefined;
  let start: Event | undefined;
  let offset = 0;
  let children: ChildProcess[] = [];
  return {
    name: `weft Lock (@weft/native), ${processes} processes`,
    async setup() {
      shm = SharedMemory.create(4096);
      const lock = new Lock(shm.place(Lock));
      start = new Event(shm.place(Event));
      offset = shm.allocate(4);
      const shared = marshal.encode({ lock, start });
      children = Array.from({ length: processes }, () => fork(child, { serialization: "advanced" }));
      const ready = children.map((c) => once(c, "message"));
      for (const c of children) c.send({ shared, name: shm.name, offset, n: perProcess });
      await Promise.all(ready);
    },
    async measure() {
      const done = children.map((c) => once(c, "message") as Promise<[{ t0: bigint; t1: bigint }]>);
      start!.set();
      const stamps = (await Promise.all(done)).map(([m]) => m);
      const count = Atomics.load(new Int32Array(shm!.buffer, offset, 1), 0);
      if (count !== processes * perProcess) throw new Error(`lost updates: ${count}`);
      // Monotonic ns since boot: exact in a double for ~104 days of uptime, off by a few ns after that.
      const first = Math.min(...stamps.map((s) => Number(s.t0)));
      const last = Math.max(...stamps.map((s) => Number(s.t1)));
      return (last - first) / (processes * perProcess);
    },
    async teardown() {
      await Promise.all(children.map((c) => (c.exitCode === null ? once(c, "exit") : undefined)));
      shm?.close();
    },
  };
}

function pythonPeer(processes: number): Contender {
  return {
    name: `Python multiprocessing.Lock, ${processes} processes`,
    async measure() {
      const { stdout } = await run("python3", [python, String(processes), String(perProcess)]);
      return Number(stdout.trim());
    },
  };
}

export function suites(): Suite[] {
  return [2, 4].map((processes) => ({
    id: `native-cross-process-lock-${processes}p`,
    title: `${processes} processes x ${perProcess / 1000}k locked increments of a counter in shared memory`,
    unit: "ns/increment",
    higherIsBetter: false,
    ours: `weft Lock (@weft/native), ${processes} processes`,
    contenders: [weft(processes), pythonPeer(processes)],
    targets: { [`Python multiprocessing.Lock, ${processes} processes`]: 3 },
  }));
}
