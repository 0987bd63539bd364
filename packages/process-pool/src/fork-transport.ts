import { type ChildProcess, fork } from "node:child_process";
import {
  type Transport,
  type WorkerChannel,
  type WorkerInit,
  type WorkerSink,
  wire,
  withoutMainOnlyFlags,
} from "@weft/pool/extension";
import { MarshalError, marshal } from "@weft/sync";
import { type ChildReport, type ChildStart, type ParentOrder, reportedError } from "./child-protocol.js";
import { findUnsendable, type MarshalWalk } from "./crossing.js";
import { BrokenProcessError, ChildExitError } from "./errors.js";
import { flatten, unflatten } from "./flat-message.js";
import type { SlotSegments } from "./native-slots.js";
import { type ChildInfo, forwardOutput, type OutputMode, stdioFor } from "./output.js";

/** ms a child asked to leave gets to exit on its own before it is killed. */
const GRACE_MS = 2000;

const LEAVE: ParentOrder = { leave: true };

/** Validated settings of the fork transport. */
export interface ForkSettings {
  output: OutputMode;
  prefix: string | ((child: ChildInfo) => string);
  execArgv: string[] | undefined;
  /** The Node binary the children run (options.execPath), or undefined: this process's own. */
  execPath: string | undefined;
  env: NodeJS.ProcessEnv | undefined;
  preload: string[];
  /** Modules every child preloads because this process uses them (e.g. @weft/native when it is loaded). */
  autoPreload: () => string[];
  /** Process-shared slot memory (from @weft/native), or null: then a posted task counts as started. */
  slots: SlotSegments | null;
  /** The child entry file (options.workerEntry, or this package's dist/process-child.js; see child-entry.ts). */
  entry: string;
}

/** One executor worker: one child process. */
class ChildLine implements WorkerChannel {
  readonly #proc: ChildProcess;
  readonly #sink: WorkerSink;
  /** Tasks sent and results received: equal when the child is idle. */
  #sent = 0;
  #done = 0;
  /** We asked it to leave: its exit is not a crash. */
  #leaving = false;
  #closed = false;
  #error: unknown;
  #killTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(settings: ForkSettings, init: WorkerInit, sink: WorkerSink) {
    this.#sink = sink;
    // The slot memory has no name: the child inherits its descriptor after its stdio; ours closes at once.
    const slots = settings.slots?.handOver(init.slots);
    const stdio = stdioFor(settings.output);
    let proc: ChildProcess;
    try {
      proc = fork(settings.entry, [], {
        serialization: "advanced",
        stdio: slots === undefined ? stdio : [...stdio, slots.fd],
        // By default this process's Node options, minus the main-only ones (`-e`, `--input-type`, `--test`, ...).
        execArgv: settings.execArgv ?? withoutMainOnlyFlags(process.execArgv),
        ...(settings.execPath !== undefined ? { execPath: settings.execPath } : {}),
        ...(settings.env !== undefined ? { env: settings.env } : {}),
      });
    } finally {
      slots?.close();
    }
    this.#proc = proc;
    if (settings.output === "forward" && proc.pid !== undefined) {
      const p = settings.prefix;
      forwardOutput(proc, typeof p === "function" ? p({ id: init.id, pid: proc.pid }) : p);
    }
    proc.on("message", (m: unknown) => this.#onMessage(m));
    proc.on("error", (err) => {
      // A spawn failure comes without a pid and without an exit; a send failure on a closing channel is
      // followed by the exit, which is what counts.
      if (proc.pid === undefined) {
        this.#error = err;
        this.#onClose(null, null);
      }
    });
    proc.on("close", (code, signal) => this.#onClose(code, signal));
    const start: ChildStart = {
      init: { ...init, slots: null },
      slotsFd: slots === undefined ? null : stdio.length,
      addonFile: slots === undefined ? null : settings.slots!.addonFile,
      nativeFile: slots === undefined ? null : settings.slots!.nativeFile,
      parentPid: process.pid,
      preload: [...settings.preload, ...settings.autoPreload()],
    };
    if (proc.pid !== undefined) proc.send(start);
  }

  post(batch: unknown[]): void {
    try {
      this.#proc.send(flatten(batch));
    } catch (err) {
      throw explainSendFailure(batch, err);
    }
    this.#sent += wire.countTasks(batch);
  }

  #onMessage(received: unknown): void {
    if (this.#closed) return;
    const message = unflatten(received);
    if (message === undefined) {
      const report = received as Partial<ChildReport> | null;
      if (report?.uncaught !== undefined) this.#error = reportedError(report as ChildReport);
      return;
    }
    this.#done += wire.countResults(message);
    this.#sink.message(message);
  }

  #onClose(code: number | null, signal: string | null): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#killTimer !== undefined) clearTimeout(this.#killTimer);
    if (!this.#leaving) {
      const cause =
        typeof this.#error === "object" && this.#error !== null
          ? this.#error
          : new ChildExitError(this.#proc.pid, code, signal);
      this.#sink.error(cause);
    }
    this.#sink.exit(code, signal);
  }

  terminate(how?: "terminate" | "kill"): void {
    if (this.#closed) return;
    const proc = this.#proc;
    if (how !== undefined) {
      // terminateWorkers() / killWorkers(): now, busy or idle (even if it was asked to leave before).
      this.#leaving = true;
      proc.kill(how === "kill" ? "SIGKILL" : "SIGTERM");
      if (how === "terminate" && this.#killTimer === undefined) {
        // A child that handles SIGTERM and does not exit is killed after the grace period.
        this.#killTimer = setTimeout(() => proc.kill("SIGKILL"), GRACE_MS);
        this.#killTimer.unref();
      }
      return;
    }
    if (this.#leaving) return;
    this.#leaving = true;
    this.ref();
    if (this.#sent === this.#done && proc.connected) {
      // Idle: ask it to leave, so its exit handlers run and its output is flushed. (A message rather than
      // disconnect(): after the parent's disconnect() Node never emits "close", nodejs/node#19433.)
      try {
        proc.send(LEAVE);
      } catch {
        proc.kill("SIGKILL");
      }
      this.#killTimer = setTimeout(() => proc.kill("SIGKILL"), GRACE_MS);
      this.#killTimer.unref();
    } else proc.kill("SIGKILL");
  }

  ref(): void {
    const p = this.#proc;
    p.ref();
    p.channel?.ref();
    (p.stdout as { ref?: () => void } | null)?.ref?.();
    (p.stderr as { ref?: () => void } | null)?.ref?.();
  }

  unref(): void {
    const p = this.#proc;
    if (this.#closed) return;
    p.unref();
    p.channel?.unref();
    (p.stdout as { unref?: () => void } | null)?.unref?.();
    (p.stderr as { unref?: () => void } | null)?.unref?.();
  }

  /**
   * An error the child died of between tasks: nothing to add. Its own Node wrote it to the child's stderr
   * before exiting (where the `output` option sends it), and the executor has replaced the child.
   */
  reportUncaught(_error: unknown): void {}
}

const SYNC: MarshalWalk = { marshal, MarshalError };

/** Turns a serialization failure of a core -> child message into an error naming the path of the culprit. */
function explainSendFailure(message: unknown[], err: unknown): unknown {
  // Only a message with one task can name its culprit; the core retries a batch task by task.
  if (wire.countTasks(message) !== 1) return err;
  const reader = new wire.TaskReader(1);
  reader.load(message);
  while (reader.next() !== wire.RECORD_TASK);
  return (
    findUnsendable(SYNC, reader.args, "args") ??
    ((reader.flags & wire.FLAG_CONTEXT) !== 0
      ? findUnsendable(SYNC, reader.context, "context")
      : undefined) ??
    err
  );
}

/**
 * The @weft/pool Transport over `child_process.fork` with advanced (structured clone) serialization: each
 * executor worker is a child running this package's dist/process-child.js. With @weft/native, the workers' slot
 * memory is process-shared, so the core knows which posted tasks have started (exact crash accounting,
 * cancellation and balancing of posted tasks, timeouts from the real start).
 */
export class ForkTransport implements Transport {
  readonly sharedMemory: boolean;
  /** Arguments and results cross into another process: the core checks arguments for that at submit. */
  readonly crossProcess = true;
  readonly #settings: ForkSettings;

  constructor(settings: ForkSettings) {
    this.#settings = settings;
    this.sharedMemory = settings.slots !== null;
  }

  allocateSlots(byteLength: number): SharedArrayBuffer {
    const slots = this.#settings.slots;
    return slots === null ? new SharedArrayBuffer(byteLength) : slots.allocate(byteLength);
  }

  spawn(init: WorkerInit, sink: WorkerSink): WorkerChannel {
    return new ChildLine(this.#settings, init, sink);
  }

  /** The error for the tasks of a dead child: the executor core asks the transport for it. */
  brokenWorkerError(exitCode: number | null, signal: string | null, cause: unknown): BrokenProcessError {
    return new BrokenProcessError(exitCode, signal, cause);
  }
}
