#!/usr/bin/env node
// weft-worker: serves a queue of @weft/distributed jobs from the command line (see `weft-worker --help`).
// The Redis URL may come from the environment (WEFT_REDIS_URL or REDIS_URL) so that its password does not
// show in `ps`; it is never printed with its credentials.
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { ThreadPoolExecutor } from "@weft/pool";
import { redactUrl } from "./connection.js";
import { serveQueue } from "./serve-queue.js";

const HELP = `weft-worker: run the tasks of a @weft/distributed queue

  weft-worker --redis redis://host:6379 --queue NAME --module ./tasks.js [options]

  --redis URL               redis:// or rediss:// (TLS) URL; default $WEFT_REDIS_URL, $REDIS_URL
  --queue NAME              the queue to serve (required)
  --module SPEC             a module whose exported functions jobs may call (repeatable); NAME=SPEC
                            also lets producers name it NAME (moduleTask("NAME", "fn"))
  --concurrency N           jobs run at once (default 1)
  --pool threads            run calls in a weft ThreadPoolExecutor (for CPU-bound tasks)
  --pool-workers N          threads of that pool (default: available parallelism)
  --prefix PREFIX           BullMQ key prefix (default bull)
  --lock-duration MS        job lock; a dead worker's jobs are retried after it (default 30000)
  --stalled-interval MS     how often stalled jobs are looked for (default 30000)
  --max-stalled-count N     times a job may stall before it fails (default 1)
  --connect-timeout MS      how long to wait for Redis at start (default 10000)
  --allow-function-source   also run function source sent in jobs: REMOTE CODE EXECUTION for anyone
                            who can write to this Redis; only on a trusted, private Redis
  --quiet                   print only errors
  --help                    this text

SIGTERM or SIGINT: stop taking jobs, finish the running ones, exit. A second signal exits at once.`;

function fail(message: string): never {
  console.error(`weft-worker: ${message}\n(weft-worker --help shows the options)`);
  process.exit(2);
}

function int(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} must be a whole number, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (err) {
    fail((err as Error).message);
  }
  const { values } = parsed;
  if (values.help) {
    console.log(HELP);
    return;
  }
  const url = values.redis ?? process.env.WEFT_REDIS_URL ?? process.env.REDIS_URL;
  if (url === undefined) fail("no Redis: pass --redis redis://host:port or set WEFT_REDIS_URL");
  if (values.queue === undefined) fail("--queue is required");
  const modules = values.module ?? [];
  if (modules.length === 0 && !values["allow-function-source"]) fail("pass at least one --module");
  const tasks: Record<string, string> = {};
  const list: string[] = [];
  for (const m of modules) {
    const eq = m.indexOf("=");
    if (eq > 0 && !/^[a-z]+:/.test(m)) tasks[m.slice(0, eq)] = m.slice(eq + 1);
    else list.push(m);
  }
  for (const m of list) tasks[m] = m;
  if (values.pool !== undefined && values.pool !== "threads")
    fail(`--pool must be "threads", got "${values.pool}"`);
  const pool =
    values.pool === "threads"
      ? new ThreadPoolExecutor({
          maxWorkers: int("pool-workers", values["pool-workers"]) ?? availableParallelism(),
        })
      : undefined;
  const server = await serveQueue({
    connection: url,
    queue: values.queue,
    tasks,
    concurrency: int("concurrency", values.concurrency),
    prefix: values.prefix,
    lockDuration: int("lock-duration", values["lock-duration"]),
    stalledInterval: int("stalled-interval", values["stalled-interval"]),
    maxStalledCount: int("max-stalled-count", values["max-stalled-count"]),
    connectTimeout: int("connect-timeout", values["connect-timeout"]),
    allowFunctionSource: values["allow-function-source"] === true,
    executor: pool,
  }).catch((err: Error) => fail(err.message));
  if (!values.quiet) {
    console.error(
      `weft-worker ${process.pid}: serving queue "${values.queue}" at ${redactUrl(url)} ` +
        `(concurrency ${values.concurrency ?? 1}${pool ? `, thread pool` : ""}; modules: ${server.modules.join(", ") || "none"}` +
        `${values["allow-function-source"] ? "; FUNCTION SOURCE ALLOWED" : ""})`,
    );
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) process.exit(130);
    stopping = true;
    if (!values.quiet) console.error(`weft-worker ${process.pid}: ${signal}: finishing running jobs`);
    void server
      .close()
      .then(() => pool?.shutdown())
      .then(() => process.exit(0));
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

function parse() {
  return parseArgs({
    options: {
      redis: { type: "string" },
      queue: { type: "string" },
      module: { type: "string", multiple: true },
      concurrency: { type: "string" },
      pool: { type: "string" },
      "pool-workers": { type: "string" },
      prefix: { type: "string" },
      "lock-duration": { type: "string" },
      "stalled-interval": { type: "string" },
      "max-stalled-count": { type: "string" },
      "connect-timeout": { type: "string" },
      "allow-function-source": { type: "boolean" },
      quiet: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
}

void main();
