// Shared by the distributed tests: the Redis of the run, fresh queue names, weft-worker processes (the built
// CLI, as users run it) that are always stopped after the test file.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import {
  DistributedExecutor,
  type DistributedExecutorOptions,
  moduleTask,
  type QueueServer,
  type ServeQueueOptions,
  serveQueue,
} from "@weft/distributed";
import type { ShutdownOptions } from "@weft/pool";
import { afterAll, inject } from "vitest";

export const redisUrl = (): string => inject("redisUrl");
export const fixtures = new URL("./fixtures/tasks.mjs", import.meta.url);
export const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

export type Tasks = typeof import("./fixtures/tasks.mjs");
export const task = <K extends keyof Tasks & string>(name: K) => moduleTask<Tasks[K]>(fixtures, name);

/** A queue name no other test uses. */
export const freshQueue = (label = "q"): string => `${label}-${randomBytes(4).toString("hex")}`;

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** stderr so far. */
  readonly log: () => string;
  /** Stops it (SIGTERM: finish running jobs) and waits for its exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const live = new Set<WorkerProcess>();
afterAll(async () => {
  await Promise.all([...live].map((w) => w.stop("SIGKILL")));
});

/** Starts `weft-worker` serving `queue` (the fixture module, plus `args`); resolves once it serves. */
export async function startWorker(
  queue: string,
  args: string[] = [],
  url = redisUrl(),
): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    [cli, "--redis", url, "--queue", queue, "--module", fixtures.href, ...args],
    {
      stdio: ["ignore", "inherit", "pipe"],
    },
  );
  let stderr = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const worker: WorkerProcess = {
    child,
    pid: child.pid!,
    log: () => stderr,
    async stop(signal = "SIGTERM") {
      live.delete(worker);
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  live.add(worker);
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes("serving queue")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`weft-worker exited with ${code}: ${stderr}`)));
  });
  return worker;
}

/**
 * A DistributedExecutor whose shutdown also stops the worker processes started for it (for the executor
 * contract suite, which only knows executors).
 */
export class ExecutorWithWorkers extends DistributedExecutor {
  readonly #workers: Promise<WorkerProcess[]>;
  constructor(options: DistributedExecutorOptions, workers: Promise<WorkerProcess[]>) {
    super(options);
    this.#workers = workers;
  }
  override async shutdown(options: ShutdownOptions = {}): Promise<void> {
    const done = super.shutdown(options);
    const stopped = super
      .shutdown({ wait: true })
      .then(() => this.#workers)
      .then((ws) => Promise.all(ws.map((w) => w.stop())));
    await done;
    if (options.wait !== false) await stopped;
  }
}

/** Counts how often each future settles (exactly-once checks). */
export function settleCounter(futures: Iterable<{ addDoneCallback(fn: () => void): void }>): number[] {
  const counts: number[] = [];
  let i = 0;
  for (const f of futures) {
    const at = i++;
    counts[at] = 0;
    f.addDoneCallback(() => counts[at]!++);
  }
  return counts;
}

export async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const servers = new Set<QueueServer>();
afterAll(async () => {
  await Promise.all([...servers].map((s) => s.close({ force: true })));
});

/** serveQueue in this process for `queue` (the fixture module), closed after the test file. */
export async function serveHere(
  queue: string,
  options: Partial<ServeQueueOptions> = {},
): Promise<QueueServer> {
  const server = await serveQueue({ connection: redisUrl(), queue, tasks: [fixtures], ...options });
  servers.add(server);
  return server;
}

/** A port nothing listens on. */
export function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
