import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { type ExecutorOptions, PoolOptionError } from "@weft/pool";
import { checkOptions, checkWorkerEntry, optionKeys } from "@weft/pool/extension";
import { defaultChildEntry } from "./child-entry.js";
import { SingleExecutableError } from "./errors.js";
import type { ForkSettings } from "./fork-transport.js";
import { loadNative, nativeFailure, SlotSegments } from "./native-slots.js";
import type { ChildInfo, OutputMode } from "./output.js";

/**
 * Options of {@link ProcessPoolExecutor}: every option of @weft/pool's executors (maxWorkers, minWorkers,
 * idleTimeout, maxQueue, whenFull, initializer, initArgs, taskTimeout, window) plus child-process settings.
 *
 * @example
 * ```ts
 * const options: ProcessPoolOptions = { maxWorkers: 4, maxTasksPerChild: 100, outputPrefix: (c) => `[${c.pid}] ` };
 * ```
 */
export interface ProcessPoolOptions extends ExecutorOptions {
  /**
   * Tasks a child runs before it is replaced by a fresh one (default: unlimited); Python's
   * `max_tasks_per_child`, for code that leaks memory or state. (The same as `maxTasksPerWorker`.)
   */
  maxTasksPerChild?: number;
  /**
   * Track tasks in memory shared with each child (@weft/native process-shared memory): then only the tasks
   * a dying child had started fail (the others are retried), `cancel()` works until a task starts, idle
   * children take over unstarted tasks, and timeouts count from the real start. Default: on when
   * @weft/native is installed and works here; `true` requires it; `false` turns it off (a task then counts
   * as started once sent to a child).
   */
  sharedSlots?: boolean;
  /**
   * Children's stdout and stderr: "forward" (default) copies them to this process's `process.stdout` /
   * `process.stderr` (so redirection and capture work, and `outputPrefix` applies); "inherit" gives the
   * children this process's file descriptors (no copying, no prefix); "ignore" discards them.
   */
  output?: OutputMode;
  /** With output "forward": text put before every line, or a function of the child; default none. */
  outputPrefix?: string | ((child: ChildInfo) => string);
  /** Node options of the children (default: this process's `process.execArgv`, so `--import tsx` carries over). */
  execArgv?: string[];
  /**
   * The Node binary the children run (default: `process.execPath`, the one running this process). Needed in a
   * Node single executable application, whose `process.execPath` is the application itself (without it the
   * pool throws {@link SingleExecutableError}): a `node` on PATH or an absolute path of one.
   */
  execPath?: string;
  /** Environment of the children (default: `process.env`). */
  env?: NodeJS.ProcessEnv;
  /**
   * Modules each child imports before the initializer: package names (resolved from this package, e.g.
   * "@weft/native"), file URLs, or absolute paths. @weft/native is preloaded on its own when this process
   * has imported it, so primitives in its shared memory can be passed as arguments.
   */
  preload?: readonly (string | URL)[];
  /**
   * The child entry to run (an absolute path or `file:` URL of `process-child.js`, from
   * `@weft/process-pool/child`), for a setup where weft cannot find it by itself (see the Bundling pages of the
   * docs). Default: found beside this package's module, or beside the bundle or the main script.
   */
  workerEntry?: string | URL;
}

/**
 * Whether this process is a Node single executable application (`node:sea`'s isSea(), Node 20.12+; before
 * that there are none).
 */
function inSingleExecutable(): boolean {
  try {
    const sea = (process.getBuiltinModule?.("node:sea") ?? createRequire(process.execPath)("node:sea")) as {
      isSea?: () => boolean;
    };
    return sea.isSea?.() === true;
  } catch {
    return false;
  }
}

/** What a value is, for a message: `null`, `an array`, else its typeof. */
function kindOf(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}

const NATIVE_REGISTERED = Symbol.for("@weft/native/provider-registered");

/** @weft/native when this process has loaded it: its primitives can then cross, so children need it too. */
function autoPreload(): string[] {
  return (globalThis as { [NATIVE_REGISTERED]?: boolean })[NATIVE_REGISTERED] === true
    ? ["@weft/native"]
    : [];
}

function preloadSpec(spec: unknown, i: number): string {
  if (spec instanceof URL) return spec.href;
  if (typeof spec !== "string" || spec === "") {
    throw new PoolOptionError(`preload[${i}] must be a module name, a file URL or an absolute path`);
  }
  if (spec.startsWith("/")) return pathToFileURL(spec).href;
  if (spec.startsWith(".")) {
    throw new PoolOptionError(
      `preload[${i}] is the relative path "${spec}": pass an absolute path or new URL("${spec}", import.meta.url)`,
    );
  }
  return spec;
}

const PROCESS_ONLY: Record<Exclude<keyof ProcessPoolOptions, keyof ExecutorOptions>, true> = {
  maxTasksPerChild: true,
  sharedSlots: true,
  output: true,
  outputPrefix: true,
  execArgv: true,
  execPath: true,
  env: true,
  preload: true,
  workerEntry: true,
};
const PROCESS_ONLY_KEYS: ReadonlySet<string> = new Set(Object.keys(PROCESS_ONLY));
const PROCESS_POOL_KEYS = optionKeys(PROCESS_ONLY);

/**
 * Splits process-pool options into the executor's and the transport's, validating the latter (an unknown
 * key is a PoolOptionError naming the nearest valid one, as in every weft pool).
 */
export function splitOptions(options: ProcessPoolOptions): {
  executor: ExecutorOptions;
  fork: ForkSettings;
} {
  checkOptions("ProcessPoolExecutor options", options, PROCESS_POOL_KEYS, true);
  const {
    maxTasksPerChild,
    sharedSlots,
    output,
    outputPrefix,
    execArgv,
    execPath,
    env,
    preload,
    workerEntry,
  } = options;
  // Every other key is the executor's, inherited ones too (as checkOptions counts them): a rest pattern would
  // copy only the own ones.
  const executor: ExecutorOptions = {};
  for (const key in options) {
    if (!PROCESS_ONLY_KEYS.has(key)) {
      (executor as Record<string, unknown>)[key] = (options as Record<string, unknown>)[key];
    }
  }
  // First, so that a pool that cannot start children says so when it is created.
  if (execPath !== undefined && (typeof execPath !== "string" || execPath === "")) {
    throw new PoolOptionError(
      `execPath must be the path of a Node binary (a non-empty string), got ${kindOf(execPath)}`,
    );
  }
  if (execPath === undefined && inSingleExecutable()) {
    throw new SingleExecutableError(
      "ProcessPoolExecutor cannot start children in a single executable application: its children would run " +
        `process.execPath (${process.execPath}), the application itself, which starts the whole app again. ` +
        'Pass execPath, a Node binary to run them with (new ProcessPoolExecutor({ execPath: "node" }) for the ' +
        "node on PATH), and ship process-child.js beside the executable (or pass workerEntry); or use a " +
        "ThreadPoolExecutor, whose workers run inside the application.",
    );
  }
  const entry =
    workerEntry === undefined
      ? defaultChildEntry()
      : checkWorkerEntry("new ProcessPoolExecutor({ workerEntry })", workerEntry);
  if (maxTasksPerChild !== undefined) {
    const max = maxTasksPerChild;
    if (max !== Number.POSITIVE_INFINITY && (!Number.isInteger(max) || max < 1)) {
      throw new PoolOptionError(
        `maxTasksPerChild must be an integer >= 1 (or Infinity), got ${String(maxTasksPerChild)}`,
      );
    }
    if (executor.maxTasksPerWorker !== undefined && executor.maxTasksPerWorker !== max) {
      throw new PoolOptionError("maxTasksPerChild and maxTasksPerWorker are the same option: give one");
    }
    executor.maxTasksPerWorker = max;
  }
  if (sharedSlots !== undefined && typeof sharedSlots !== "boolean") {
    throw new PoolOptionError(`sharedSlots must be true or false, got ${String(sharedSlots)}`);
  }
  let slots: SlotSegments | null = null;
  if (sharedSlots !== false) {
    const native = loadNative();
    if (native !== null) slots = new SlotSegments(native);
    else if (sharedSlots === true) {
      const cause = nativeFailure();
      throw new PoolOptionError(
        cause === undefined
          ? "sharedSlots: true needs @weft/native (process-shared memory), which is not installed; install it " +
              "or leave sharedSlots unset"
          : "sharedSlots: true needs @weft/native (process-shared memory), which is installed but failed here " +
              `(${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}); see the cause, ` +
              "or leave sharedSlots unset",
        cause === undefined ? undefined : { cause },
      );
    }
  }
  const mode = output ?? "forward";
  if (mode !== "forward" && mode !== "inherit" && mode !== "ignore") {
    throw new PoolOptionError(`output must be "forward", "inherit" or "ignore", got ${String(output)}`);
  }
  const prefix = outputPrefix ?? "";
  if (typeof prefix !== "string" && typeof prefix !== "function") {
    throw new PoolOptionError("outputPrefix must be a string or a function ({ id, pid }) => string");
  }
  if (prefix !== "" && mode !== "forward") {
    throw new PoolOptionError(`outputPrefix needs output "forward" (output is "${mode}")`);
  }
  if (execArgv !== undefined) {
    if (!Array.isArray(execArgv)) {
      throw new PoolOptionError(`execArgv must be an array of strings, got ${kindOf(execArgv)}`);
    }
    const bad = execArgv.findIndex((a) => typeof a !== "string");
    if (bad >= 0) {
      throw new PoolOptionError(
        `execArgv must be an array of strings, got ${kindOf(execArgv[bad])} at execArgv[${bad}]`,
      );
    }
  }
  if (env !== undefined && (typeof env !== "object" || env === null || Array.isArray(env))) {
    throw new PoolOptionError(`env must be an object of environment variables, got ${kindOf(env)}`);
  }
  if (preload !== undefined && !Array.isArray(preload)) {
    throw new PoolOptionError(
      `preload must be an array of module names, file URLs or absolute paths, got ${kindOf(preload)}`,
    );
  }
  return {
    executor,
    fork: {
      output: mode,
      prefix,
      execArgv: execArgv === undefined ? undefined : [...execArgv],
      execPath,
      env,
      preload: (preload ?? []).map(preloadSpec),
      autoPreload,
      slots,
      entry,
    },
  };
}
