// Which of this process's Node options a worker thread or child process may inherit. Some options say what the
// main script is and how to run it (`-e`, `--input-type`, `--test`, `--watch`, ...): a worker or child that
// inherits them dies (ERR_INPUT_TYPE_NOT_ALLOWED) or runs the wrong code (a child given `--eval=...` runs the
// eval source instead of its entry). Threads, the thread pool and the process pool all filter through here.

import { Worker, type WorkerOptions } from "node:worker_threads";

/** Options that configure only the main script (plus every `--test*` and `--watch*` option, see FAMILY). */
const MAIN_ONLY = new Set([
  "-e",
  "--eval",
  "-p",
  "--print",
  "-pe",
  "--input-type",
  "-c",
  "--check",
  "-i",
  "--interactive",
  "--run",
  "--entry-url",
]);

/** The test runner's and watch mode's options, including ones newer than this file. */
const FAMILY = /^--(experimental-)?(test|watch)(-|$)/;

function optionName(arg: string): string {
  const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
  return eq > 0 ? arg.slice(0, eq) : arg;
}

/**
 * Whether the option at `arg` is followed by its value as a separate argument. Node never takes a value that
 * starts with "-" ("-e requires an argument"), and execArgv holds nothing but options and their values, so a
 * following argument that does not start with "-" is this option's value (`-p` and `--print` take one only
 * then).
 */
function valueFollows(arg: string, next: string | undefined): boolean {
  return optionName(arg) === arg && next !== undefined && !next.startsWith("-");
}

/**
 * `execArgv` without the Node options that only apply to the main script (`-e`/`--eval`, `-p`/`--print`,
 * `--input-type`, `--check`, `--interactive`, `--run`, `--entry-url`, every `--test*` and `--watch*` option) and
 * their values, for a worker thread or child process that runs its own entry. Everything else (`--import tsx`,
 * `--conditions`, `--enable-source-maps`, ...) is kept, in order.
 *
 * @param execArgv - Node options, as in `process.execArgv` (the default)
 * @returns a new array
 * @example
 * ```ts
 * import { withoutMainOnlyFlags } from "@weft/threads/extension";
 * withoutMainOnlyFlags(["--import", "tsx", "--input-type=module", "-e", "code"]); // ["--import", "tsx"]
 * fork(entry, [], { execArgv: withoutMainOnlyFlags() });
 * ```
 */
export function withoutMainOnlyFlags(execArgv: readonly string[] = process.execArgv): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    const name = optionName(arg);
    if (!MAIN_ONLY.has(name) && !FAMILY.test(name)) kept.push(arg);
    else if (valueFollows(arg, execArgv[i + 1])) i++;
  }
  return kept;
}

/** Options that Node refused in a worker's execArgv in this process (learned once, then left out). */
const refused = new Set<string>();
let inherited: string[] | undefined | null = null;

/** The worker execArgv to pass: undefined (inherit, Node skips what a worker cannot take) unless filtering is needed. */
function workerExecArgv(): string[] | undefined {
  if (inherited === null) {
    const filtered = withoutMainOnlyFlags(process.execArgv);
    inherited = filtered.length === process.execArgv.length ? undefined : filtered;
  }
  if (inherited === undefined || refused.size === 0) return inherited;
  const kept: string[] = [];
  for (let i = 0; i < inherited.length; i++) {
    const arg = inherited[i]!;
    if (!refused.has(optionName(arg))) kept.push(arg);
    else if (valueFollows(arg, inherited[i + 1])) i++;
  }
  return kept;
}

/**
 * Starts a worker thread that inherits this process's Node options except the main-only ones (see
 * {@link withoutMainOnlyFlags}), so a program run as `node --input-type=module -e '...'` or under `node --test`
 * can start workers. Options that Node refuses in a worker (per-process ones such as `--expose-gc` or
 * `--max-old-space-size`) are left out too. An explicit `options.execArgv` is passed unchanged.
 *
 * @param entry - the worker's entry module (path or URL), or a function that starts the worker with the given
 *   options (so that the `new Worker(new URL("./x.js", import.meta.url))` expression bundlers follow stays intact)
 * @param options - `new Worker` options
 * @example
 * ```ts
 * import { startWorker } from "@weft/threads/extension";
 * const worker = startWorker(new URL("./worker.js", import.meta.url), { workerData: { id: 1 } });
 * ```
 */
export function startWorker(
  entry: string | URL | ((options: WorkerOptions) => Worker),
  options: WorkerOptions = {},
): Worker {
  const start = typeof entry === "function" ? entry : (o: WorkerOptions) => new Worker(entry, o);
  if (options.execArgv !== undefined) return start(options);
  for (;;) {
    const execArgv = workerExecArgv();
    try {
      return start(execArgv === undefined ? options : { ...options, execArgv });
    } catch (error) {
      const named = refusedOptions(error);
      if (execArgv === undefined || named.length === 0 || named.every((n) => refused.has(n))) throw error;
      for (const name of named) refused.add(name);
    }
  }
}

/** The options named by an ERR_WORKER_INVALID_EXEC_ARGV error ("... invalid execArgv flags: --a, --b=1"). */
function refusedOptions(error: unknown): string[] {
  if ((error as { code?: unknown } | null)?.code !== "ERR_WORKER_INVALID_EXEC_ARGV") return [];
  const message = String((error as Error).message);
  const colon = message.lastIndexOf(": ");
  return colon < 0
    ? []
    : message
        .slice(colon + 2)
        .split(", ")
        .map(optionName);
}
