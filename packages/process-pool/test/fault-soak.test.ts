import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BrokenWorkerError,
  CancelledError,
  type Future,
  moduleTask,
  TaskTimeoutError,
  ThreadPoolExecutor,
} from "@weft/pool";
import { BrokenProcessError, ProcessPoolExecutor } from "@weft/process-pool";
import { describe, expect, it } from "vitest";
import { nativeAvailable, until } from "./helpers.js";
import { poolChildren } from "./helpers-children.js";

// The fault soak (issue 15): a thread pool and a process pool at once, under random process.exit, throws,
// OOM under resourceLimits (threads), endless loops under per-task timeouts and taskTimeout, cancellations
// and aborts while queued and while running, outside SIGKILLs of children, then a final shutdown. Every
// future must end with the right class, no task that finished may be reported as failed (except in the
// documented window: a worker killed by the OS or by V8 out of memory cannot send what it held), and
// threads, children, handles and our /dev/shm segments must be back to where they were. Bounded: ~20-30 s.

const soak = moduleTask<(ledger: unknown, i: number, kind: Kind, arg: number) => number>(
  new URL("./fixtures/soak-tasks.mjs", import.meta.url),
  "soakTask",
);
type Kind = "ok" | "sleep" | "throw" | "exit" | "oom" | "loop" | "block";

interface Plan {
  kind: Kind;
  arg: number;
  /** timeout of its own (submitWith). */
  timeout?: number;
  cancel?: "queued" | "running";
  abort?: "queued" | "running";
}

let seed = 15_2026;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};

function plan(n: number, withOom: boolean, poolTimeoutLoops: number): Plan[] {
  const plans: Plan[] = [];
  for (let i = 0; i < n; i++) {
    const r = rand();
    let p: Plan;
    if (r < 0.004) p = { kind: "exit", arg: 0 };
    else if (withOom && r < 0.006) p = { kind: "oom", arg: 0 };
    else if (r < 0.01) p = { kind: "loop", arg: 0, timeout: 100 + Math.floor(rand() * 200) };
    else if (r < 0.06) p = { kind: "throw", arg: 0 };
    else if (r < 0.07) p = { kind: "sleep", arg: 20, cancel: "running" };
    else if (r < 0.075) p = { kind: "block", arg: 0, abort: "running" };
    else if (r < 0.1) p = { kind: "ok", arg: 100, cancel: "queued" };
    else if (r < 0.12) p = { kind: "ok", arg: 100, abort: "queued" };
    else p = { kind: "ok", arg: Math.floor(rand() * 2000) };
    plans.push(p);
  }
  for (let k = 0; k < poolTimeoutLoops; k++) plans[Math.floor(n / 2) + k * 7] = { kind: "loop", arg: 0 };
  return plans;
}

interface Outcome {
  plan: Plan;
  future: Future<number>;
  cancelled?: boolean;
  reason?: Error;
}

/** Submits the plan, applying cancellations and aborts; resolves once every future is done. */
async function drive(
  submit: (p: Plan, i: number, signal?: AbortSignal) => Future<number>,
  plans: Plan[],
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const waits: Promise<unknown>[] = [];
  for (let i = 0; i < plans.length; i++) {
    const p = plans[i]!;
    const ac = p.abort !== undefined ? new AbortController() : undefined;
    const o: Outcome = { plan: p, future: submit(p, i, ac?.signal) };
    outcomes.push(o);
    if (p.cancel === "queued") o.cancelled = o.future.cancel();
    if (ac !== undefined) {
      o.reason = new Error(`aborted ${i}`);
      const reason = o.reason;
      if (p.abort === "queued") setTimeout(() => ac.abort(reason), Math.floor(rand() * 30));
      else {
        waits.push(
          (async () => {
            while (!o.future.running() && !o.future.done()) await new Promise((r) => setTimeout(r, 5));
            ac.abort(reason);
          })(),
        );
      }
    }
    if (p.cancel === "running") {
      waits.push(
        (async () => {
          while (!o.future.running() && !o.future.done()) await new Promise((r) => setTimeout(r, 2));
          if (!o.future.done()) expect(o.future.cancel()).toBe(false); // a running task cannot be cancelled
        })(),
      );
    }
    if (i % 100 === 99) await new Promise((r) => setTimeout(r, 1)); // let the pools work meanwhile
  }
  await Promise.all(waits);
  await Promise.allSettled(outcomes.map((o) => o.future));
  return outcomes;
}

interface Ledger {
  status(i: number): number;
  /** Worker (thread id or pid) that started task i, 0 if none did. */
  by(i: number): number;
}

/**
 * Checks every outcome against its plan and the ledger. Returns how many tasks that finished were reported
 * as failed inside the documented window (their worker was killed by the OS or by V8 out of memory).
 */
async function check(
  outcomes: Outcome[],
  ledger: Ledger,
  broken: typeof BrokenWorkerError,
  diedUnflushed: Set<number>,
  taskTimeout: number,
  exactStarts: boolean,
  tally: Record<string, number>,
): Promise<number> {
  let inWindow = 0;
  const claimedUnrecorded = new Set<number>();
  const count = (what: string) => {
    tally[what] = (tally[what] ?? 0) + 1;
  };
  for (let i = 0; i < outcomes.length; i++) {
    const { plan: p, future: f, cancelled, reason } = outcomes[i]!;
    const where = `task ${i} ${JSON.stringify(p)} (ledger status ${ledger.status(i)}, run by ${ledger.by(i)})`;
    expect(f.done(), where).toBe(true);
    if (f.cancelled()) {
      expect(cancelled, `${where} was cancelled without being asked to`).toBe(true);
      expect(ledger.by(i), `${where}: a cancelled task never runs`).toBe(0);
      expect(await f.result().catch((e: unknown) => e), where).toBeInstanceOf(CancelledError);
      count("cancelled");
      continue;
    }
    if (cancelled === true) throw new Error(`${where}: cancel() said true but the future was not cancelled`);
    const err = await f.exception();
    const status = ledger.status(i);
    if (err === undefined) {
      expect(await f, where).toBe(i);
      expect(status, `${where}: a result without a finished run`).toBe(1);
      count("result");
      continue;
    }
    // A task whose worker died (exit, OOM, outside SIGKILL) while it ran or held its result.
    if (err instanceof broken) {
      count(
        p.kind === "exit" || p.kind === "oom"
          ? p.kind
          : p.kind === "loop"
            ? "loop killed"
            : "broken (collateral)",
      );
      if (p.kind === "exit" || p.kind === "oom") continue;
      if (status !== 0) {
        expect(diedUnflushed.has(ledger.by(i)), `${where}: finished, reported as ${String(err)}`).toBe(true);
        inWindow++;
      } else if (exactStarts) {
        // A child killed from outside after it claimed a task (its slot says RUNNING) but before the task's
        // first line wrote the ledger leaves a started task with no record: at most one per killed child.
        const pid = (err.cause as { pid?: number } | undefined)?.pid;
        if (
          ledger.by(i) === 0 &&
          pid !== undefined &&
          diedUnflushed.has(pid) &&
          !claimedUnrecorded.has(pid)
        ) {
          claimedUnrecorded.add(pid);
          count("claimed, killed before its first line");
        } else expect(ledger.by(i), `${where}: never started, yet failed with ${String(err)}`).not.toBe(0);
      }
      continue;
    }
    // A task that fills its heap may run into its time limit first on a slow (loaded) machine: a stop by
    // taskTimeout is then the right ending too.
    const oomTimedOut = p.kind === "oom" && err instanceof TaskTimeoutError;
    expect(
      p.kind === "exit" || (p.kind === "oom" && !oomTimedOut),
      `${where}: ended with ${String(err)}`,
    ).toBe(false);
    if (err instanceof TaskTimeoutError) {
      if (!oomTimedOut) expect(p.kind, where).toBe("loop");
      expect(err.timeout, where).toBe(p.timeout ?? taskTimeout);
      count(p.timeout === undefined ? "taskTimeout" : "timeout");
      continue;
    }
    if (reason !== undefined && err === reason) {
      if (exactStarts) expect(status, `${where}: finished, reported as aborted`).toBe(0);
      count(`aborted ${p.abort}`);
      continue;
    }
    if (p.kind === "throw") {
      expect(err, where).toBeInstanceOf(RangeError);
      expect((err as Error).message, where).toBe(`soak ${i}`);
      expect(status, where).toBe(2);
      count("threw");
      continue;
    }
    throw new Error(`${where}: unexpected ${String(err)}`);
  }
  return inWindow;
}

function threadCount(): number {
  return readdirSync("/proc/self/task").length;
}

function ourShm(): string[] {
  return readdirSync("/dev/shm").filter((n) => n.startsWith(`weft-${process.pid}-`));
}

function handles(): number {
  return process.getActiveResourcesInfo().filter((r) => r !== "TTYWrap" && r !== "Timeout").length;
}

describe("fault soak", () => {
  it("threads and processes under every fault at once: every future ends right, nothing leaks", async () => {
    // warm-up: the first pools load modules and start libuv's threads, which stay
    {
      await using t = new ThreadPoolExecutor({ maxWorkers: 1 });
      await t.submit(soak, new SharedArrayBuffer(8), 0, "ok", 1);
      await using p = new ProcessPoolExecutor({ maxWorkers: 1 });
      await p.submit(soak, join(tmpdir(), `weft-soak-warm-${process.pid}`), 0, "ok", 1);
      rmSync(join(tmpdir(), `weft-soak-warm-${process.pid}`), { force: true });
    }
    const before = {
      threads: threadCount(),
      children: poolChildren().length,
      handles: handles(),
      shm: ourShm(),
    };

    // ---- thread pool ----
    const tn = 2000;
    const taskTimeout = 2000;
    const tplans = plan(tn, true, 2);
    const tledger = new SharedArrayBuffer(8 * tn);
    const threads = new ThreadPoolExecutor({
      maxWorkers: 2,
      window: 16,
      taskTimeout,
      resourceLimits: { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 },
    });
    const tdone = drive(
      (p, i, signal) =>
        signal !== undefined || p.timeout !== undefined
          ? threads.submitWith({ signal, timeout: p.timeout }, soak, tledger, i, p.kind, p.arg)
          : threads.submit(soak, tledger, i, p.kind, p.arg),
      tplans,
    );

    // ---- process pool, with outside SIGKILLs ----
    const pn = 1000;
    const pplans = plan(pn, false, 1);
    const file = join(tmpdir(), `weft-soak-${process.pid}.ledger`);
    rmSync(file, { force: true });
    const procs = new ProcessPoolExecutor({ maxWorkers: 2, window: 16, taskTimeout });
    const killed = new Set<number>();
    let killing = true;
    const killer = (async () => {
      while (killing && killed.size < 6) {
        await new Promise((r) => setTimeout(r, 200 + Math.floor(rand() * 200)));
        // only children that have run a task (ready ones: a storm of kills during start-up is another test)
        const ran = existsSync(file) ? readFileSync(file, "utf8") : "";
        const kids = poolChildren().filter((pid) => !killed.has(pid) && ran.includes(` ${pid}\n`));
        if (!killing || kids.length === 0) continue;
        const pid = kids[Math.floor(rand() * kids.length)]!;
        killed.add(pid);
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    })();
    const pdone = drive(
      (p, i, signal) =>
        signal !== undefined || p.timeout !== undefined
          ? procs.submitWith({ signal, timeout: p.timeout }, soak, file, i, p.kind, p.arg)
          : procs.submit(soak, file, i, p.kind, p.arg),
      pplans,
    );

    const [touts, pouts] = await Promise.all([tdone, pdone]);
    killing = false;
    await killer;
    await Promise.all([threads.shutdown(), procs.shutdown()]);

    // ---- every future, against the ledgers ----
    const tl = new Int32Array(tledger);
    const oomThreads = new Set<number>();
    tplans.forEach((p, i) => {
      if (p.kind === "oom") oomThreads.add(tl[2 * i + 1]!);
    });
    const ttally: Record<string, number> = {};
    const tWindow = await check(
      touts,
      { status: (i) => tl[2 * i]!, by: (i) => tl[2 * i + 1]! },
      BrokenWorkerError,
      oomThreads,
      taskTimeout,
      true,
      ttally,
    );
    const pstatus = new Map<number, number>();
    const pby = new Map<number, number>();
    if (!existsSync(file)) {
      const first = await pouts[0]!.future.exception();
      throw new Error(`no process task ran; the first one ended with ${String(first)}`);
    }
    for (const line of readFileSync(file, "utf8").split("\n")) {
      const [tag, a, b, c] = line.split(" ");
      if (tag === "S") pby.set(Number(a), Number(b));
      else if (tag === "F") pstatus.set(Number(a), Number(b));
      void c;
    }
    rmSync(file, { force: true });
    const exactStarts = nativeSlots();
    const ptally: Record<string, number> = {};
    const pWindow = await check(
      pouts,
      { status: (i) => pstatus.get(i) ?? 0, by: (i) => pby.get(i) ?? 0 },
      BrokenProcessError,
      killed,
      taskTimeout,
      exactStarts,
      ptally,
    );
    expect(killed.size).toBeGreaterThan(0);
    // each fault happened (a process task stopped by taskTimeout may be hit by an outside SIGKILL first)
    for (const tally of [ttally, ptally]) {
      for (const what of ["result", "threw", "cancelled", "exit", "aborted running"]) {
        expect(tally[what] ?? 0, `${what} in ${JSON.stringify(tally)}`).toBeGreaterThan(0);
      }
    }
    expect(ttally.timeout ?? 0, `timeout in ${JSON.stringify(ttally)}`).toBeGreaterThan(0);
    // An endless loop in a child is the likeliest target of the outside SIGKILLs (its child is busy longest):
    // each ended by its own timeout or by such a kill, and at least one ended one of these two ways.
    expect(
      (ptally.timeout ?? 0) + (ptally["loop killed"] ?? 0),
      `timeout or loop killed in ${JSON.stringify(ptally)}`,
    ).toBeGreaterThan(0);
    expect(ttally.taskTimeout ?? 0).toBeGreaterThan(0);
    expect(ttally.oom ?? 0).toBeGreaterThan(0);
    console.log(
      `fault soak: ${tn} thread tasks (${oomThreads.size} OOM), ${pn} process tasks (${killed.size} outside SIGKILLs); ` +
        `finished tasks lost with a worker killed by V8 OOM or the OS (documented window): ${tWindow} + ${pWindow}\n` +
        `threads: ${JSON.stringify(ttally)}\nprocesses: ${JSON.stringify(ptally)}`,
    );

    // ---- nothing left behind ----
    await until(() => threadCount() <= before.threads, 15_000, `threads back to ${before.threads}`);
    await until(() => poolChildren().length === 0, 15_000, "no pool children");
    await until(() => handles() <= before.handles, 15_000, `handles back to ${before.handles}`);
    // TODO(issue 15.6): segments of children killed while starting are native15's part; if this fails only
    // because of that leak, it is theirs to fix, not to weaken here.
    expect(ourShm()).toEqual(before.shm);
  }, 90_000);
});

/** True when the process pool tracks task starts in shared memory (@weft/native works here). */
function nativeSlots(): boolean {
  return nativeAvailable;
}
