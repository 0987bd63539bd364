import { type ChildProcess, fork } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Transport, WorkerChannel, WorkerInit, WorkerSink } from "@weft/pool";
import { type ChildReport, type ChildStart, type ParentOrder, reportedError } from "./child-protocol.js";
import { findUnsendable } from "./crossing.js";
import { BrokenProcessError, ChildExitError, markProcessCause } from "./errors.js";
import { type ChildInfo, forwardOutput, type OutputMode, stdioFor } from "./output.js";
import {
  CODE_SCALE,
  countResults,
  countTasks,
  DEFINE,
  FLAG_CONTEXT,
  MSG_RESULTS,
  STATUS_ERROR,
} from "./wire.js";

/** dist/child.js next to this module, in both the ESM and the CJS build. */
function childEntry(): string {
  if (typeof __dirname === "string") return join(__dirname, "child.js");
  return join(dirname(fileURLToPath(import.meta.url)), "child.js");
}

/** ms a child stopped while idle gets to exit on its own before it is killed. */
const GRACE_MS = 2000;

const LEAVE: ParentOrder = { leave: true };

/** Validated settings of the fork transport. */
export interface ForkSettings {
  maxTasksPerChild: number;
  output: OutputMode;
  prefix: string | ((child: ChildInfo) => string);
  execArgv: string[] | undefined;
  env: NodeJS.ProcessEnv | undefined;
  preload: string[];
  /** Modules every child preloads because this process uses them (e.g. @weft/native when it is loaded). */
  autoPreload: () => string[];
}

/** One child process of a line. */
class Child {
  /** Tasks sent and results received. */
  sent = 0;
  done = 0;
  /** Targets defined to this child (only tracked with maxTasksPerChild). */
  readonly known: boolean[] = [];
  /** Takes no more tasks; leaves once its tasks are reported. */
  retiring = false;
  /** We asked it to leave (disconnect): its exit is not a crash. */
  leaving = false;
  closed = false;
  error: unknown;
  killTimer: ReturnType<typeof setTimeout> | undefined;
  constructor(
    readonly proc: ChildProcess,
    readonly ordinal: number,
  ) {}
}

let nextOrdinal = 1;

/**
 * One executor worker over child processes: normally one child; with maxTasksPerChild, a child that has
 * been sent its quota finishes those tasks and leaves while a fresh child takes the following ones, so the
 * executor core sees one uninterrupted worker. A crash of any of its children ends the line: every child is
 * killed and the core fails the tasks they had not reported.
 */
class ChildLine implements WorkerChannel {
  readonly #settings: ForkSettings;
  readonly #init: WorkerInit;
  readonly #sink: WorkerSink;
  readonly #children = new Set<Child>();
  #current: Child;
  #refd = true;
  #ending = false;
  #reported = false;
  #crash: { code: number | null; signal: string | null; cause: object } | undefined;
  #last: { code: number | null; signal: string | null } = { code: null, signal: null };
  /** Target specs seen in DEFINE records (to define them again to a successor child). */
  readonly #specs: unknown[] = [];

  constructor(settings: ForkSettings, init: WorkerInit, sink: WorkerSink) {
    this.#settings = settings;
    this.#init = init;
    this.#sink = sink;
    this.#current = this.#start();
  }

  #start(): Child {
    const s = this.#settings;
    const proc = fork(childEntry(), [], {
      serialization: "advanced",
      stdio: stdioFor(s.output),
      ...(s.execArgv !== undefined ? { execArgv: s.execArgv } : {}),
      ...(s.env !== undefined ? { env: s.env } : {}),
    });
    const child = new Child(proc, nextOrdinal++);
    this.#children.add(child);
    if (s.output === "forward" && proc.pid !== undefined) {
      const prefix =
        typeof s.prefix === "function" ? s.prefix({ id: child.ordinal, pid: proc.pid }) : s.prefix;
      forwardOutput(proc, prefix);
    }
    proc.on("message", (m: unknown) => this.#onMessage(child, m));
    proc.on("error", (err) => {
      // Spawn failures come without a pid and without an exit; send failures on a closing channel are
      // followed by the exit, which is what counts.
      if (proc.pid === undefined && !child.closed) {
        child.error = err;
        this.#onClose(child, null, null);
      }
    });
    proc.on("close", (code, signal) => this.#onClose(child, code, signal));
    const start: ChildStart = {
      init: this.#init,
      parentPid: process.pid,
      preload: [...s.preload, ...s.autoPreload()],
    };
    if (proc.pid !== undefined) proc.send(start);
    if (!this.#refd) this.#unrefChild(child);
    return child;
  }

  // ---- core -> children ---------------------------------------------------------------------------------

  post(batch: unknown[]): void {
    if (this.#settings.maxTasksPerChild === Number.POSITIVE_INFINITY) {
      const child = this.#current;
      this.#send(child, batch, true);
      child.sent += countTasks(batch);
      return;
    }
    this.#postSplit(batch);
  }

  /** Sends one message; on a serialization failure throws (rethrow) or reports the tasks as failed. */
  #send(child: Child, message: unknown[], rethrow: boolean): boolean {
    try {
      child.proc.send(message);
      return true;
    } catch (err) {
      if (rethrow) throw explainSendFailure(message, err);
      return false;
    }
  }

  /** maxTasksPerChild: splits a batch at quota boundaries, defining targets to each child as needed. */
  #postSplit(batch: unknown[]): void {
    const max = this.#settings.maxTasksPerChild;
    const window = this.#init.window;
    let slot = batch[0] as number;
    let child = this.#current;
    let out: unknown[] = [slot];
    let outTasks = 0;
    const sendOut = (): void => {
      if (outTasks === 0) return;
      if (this.#send(child, out, false)) child.sent += outTasks;
      else this.#sendEachOrFail(child, out);
      out = [slot];
      outTasks = 0;
    };
    for (let i = 1; i < batch.length; ) {
      const code = batch[i] as number;
      if (code === DEFINE) {
        this.#specs[batch[i + 1] as number] = batch[i + 2];
        i += 3;
        continue;
      }
      const len = (code & FLAG_CONTEXT) === 0 ? 2 : 3;
      if (child.sent + outTasks >= max) {
        sendOut();
        this.#retire(child);
        child = this.#current = this.#start();
        out = [slot];
      }
      const target = (code - (code % CODE_SCALE)) / CODE_SCALE;
      if (child.known[target] !== true) {
        child.known[target] = true;
        out.push(DEFINE, target, this.#specs[target]);
      }
      for (let k = 0; k < len; k++) out.push(batch[i + k]);
      outTasks++;
      i += len;
      slot = slot + 1 === window ? 0 : slot + 1;
    }
    sendOut();
    if (child.sent >= max && !child.retiring) {
      // Start its successor now, so that it is ready when the next tasks come.
      this.#retire(child);
      this.#current = this.#start();
    }
  }

  /** A message failed to serialize: sends its tasks one by one; each one that fails is reported failed. */
  #sendEachOrFail(child: Child, message: unknown[]): void {
    const window = this.#init.window;
    let slot = message[0] as number;
    let defines: unknown[] = [];
    for (let i = 1; i < message.length; ) {
      const code = message[i] as number;
      if (code === DEFINE) {
        defines.push(code, message[i + 1], message[i + 2]);
        i += 3;
        continue;
      }
      const len = (code & FLAG_CONTEXT) === 0 ? 2 : 3;
      const record = [slot, ...defines, ...message.slice(i, i + len)];
      try {
        child.proc.send(record);
        child.sent++;
        defines = [];
      } catch (err) {
        // Report it as that task's failure, after the core's current post returns.
        const failure = [MSG_RESULTS, slot, STATUS_ERROR, explainSendFailure(record, err)];
        queueMicrotask(() => {
          if (!this.#reported) this.#sink.message(failure);
        });
      }
      i += len;
      slot = slot + 1 === window ? 0 : slot + 1;
    }
  }

  #retire(child: Child): void {
    child.retiring = true;
    if (child.done === child.sent) this.#leave(child);
  }

  /**
   * Asks an idle child to exit; kills it if it has not after a grace period. (A control message, not
   * disconnect(): Node then never emits "close" for the child, nodejs/node#19433.)
   */
  #leave(child: Child): void {
    if (child.leaving || child.closed) return;
    child.leaving = true;
    if (child.proc.connected) child.proc.send(LEAVE);
    child.killTimer = setTimeout(() => child.proc.kill("SIGKILL"), GRACE_MS);
    child.killTimer.unref();
  }

  // ---- children -> core ---------------------------------------------------------------------------------

  #onMessage(child: Child, message: unknown): void {
    if (child.closed || this.#reported) return;
    if (!Array.isArray(message)) {
      const report = message as Partial<ChildReport> | null;
      if (report?.uncaught !== undefined) child.error = reportedError(report as ChildReport);
      return;
    }
    child.done += countResults(message);
    this.#sink.message(message);
    if (child.retiring && child.done === child.sent) this.#leave(child);
  }

  #onClose(child: Child, code: number | null, signal: string | null): void {
    if (child.closed) return;
    child.closed = true;
    if (child.killTimer !== undefined) clearTimeout(child.killTimer);
    this.#children.delete(child);
    if (this.#reported) return;
    if (child === this.#current) this.#last = { code, signal };
    if (!child.leaving && !this.#ending) {
      // A crash: the whole line ends and the core fails what its children had not reported.
      const cause =
        typeof child.error === "object" && child.error !== null
          ? child.error
          : new ChildExitError(child.proc.pid, code, signal);
      this.#crash = { code, signal, cause };
      this.#ending = true;
      for (const other of this.#children) other.proc.kill("SIGKILL");
    }
    if (this.#ending && this.#children.size === 0) {
      this.#reported = true;
      if (this.#crash !== undefined) {
        this.#sink.error(markProcessCause(this.#crash.cause));
        this.#sink.exit(this.#crash.code, this.#crash.signal);
      } else this.#sink.exit(this.#last.code, this.#last.signal);
    }
  }

  // ---- control --------------------------------------------------------------------------------------

  terminate(): void {
    if (this.#ending) return;
    this.#ending = true;
    for (const child of this.#children) {
      // Idle children leave cleanly (exit handlers run, output is flushed); busy ones are killed.
      if (child.done === child.sent) this.#leave(child);
      else child.proc.kill("SIGKILL");
      this.#refChild(child);
    }
  }

  ref(): void {
    if (this.#refd) return;
    this.#refd = true;
    for (const child of this.#children) this.#refChild(child);
  }

  unref(): void {
    if (!this.#refd) return;
    this.#refd = false;
    for (const child of this.#children) if (!child.closed) this.#unrefChild(child);
  }

  #refChild(child: Child): void {
    const p = child.proc;
    p.ref();
    p.channel?.ref();
    (p.stdout as { ref?: () => void } | null)?.ref?.();
    (p.stderr as { ref?: () => void } | null)?.ref?.();
  }

  #unrefChild(child: Child): void {
    const p = child.proc;
    p.unref();
    p.channel?.unref();
    (p.stdout as { unref?: () => void } | null)?.unref?.();
    (p.stderr as { unref?: () => void } | null)?.unref?.();
  }
}

/** Turns a serialization failure of a core -> child message into an error naming the path of the culprit. */
function explainSendFailure(message: unknown[], err: unknown): unknown {
  // Only a message with one task can name its culprit; the core retries a batch task by task.
  if (countTasks(message) !== 1) return err;
  let i = 1;
  while (message[i] === DEFINE) i += 3;
  const code = message[i] as number;
  return (
    findUnsendable(message[i + 1], "args") ??
    ((code & FLAG_CONTEXT) !== 0 ? findUnsendable(message[i + 2], "context") : undefined) ??
    err
  );
}

/**
 * The @weft/pool Transport over `child_process.fork` with advanced (structured clone) serialization: each
 * executor worker is a {@link ChildLine} running this package's dist/child.js.
 */
export class ForkTransport implements Transport {
  readonly sharedMemory = false;
  readonly #settings: ForkSettings;

  constructor(settings: ForkSettings) {
    this.#settings = settings;
  }

  spawn(init: WorkerInit, sink: WorkerSink): WorkerChannel {
    return new ChildLine(this.#settings, init, sink);
  }

  /** The error for tasks of a dead child (used by @weft/pool versions that ask the transport for it). */
  brokenWorkerError(exitCode: number | null, signal: string | null, cause: unknown): Error {
    return new BrokenProcessError(exitCode, signal, cause);
  }
}
