import type { ChildProcess } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { StringDecoder } from "node:string_decoder";

/**
 * Where children's stdout and stderr go (see `ProcessPoolOptions.output`).
 *
 * @example
 * ```ts
 * const quiet: OutputMode = "ignore";
 * new ProcessPoolExecutor({ output: quiet });
 * ```
 */
export type OutputMode = "forward" | "inherit" | "ignore";

/**
 * Who an `outputPrefix` function is asked about: the child's ordinal in its pool and its process id.
 *
 * @example
 * ```ts
 * new ProcessPoolExecutor({ outputPrefix: (c: ChildInfo) => `[child ${c.id} pid ${c.pid}] ` });
 * ```
 */
export interface ChildInfo {
  /** Ordinal of the child's worker within its pool (1, 2, ...; a replacement gets a new one). */
  id: number;
  /** Its process id. */
  pid: number;
}

/** The stdio option of fork for an output mode (stdin is never connected; fd 3 is the IPC channel). */
export function stdioFor(mode: OutputMode): ("ignore" | "inherit" | "pipe" | "ipc")[] {
  if (mode === "inherit") return ["ignore", "inherit", "inherit", "ipc"];
  if (mode === "ignore") return ["ignore", "ignore", "ignore", "ipc"];
  return ["ignore", "pipe", "pipe", "ipc"];
}

function forwardStream(from: Readable | null, to: Writable, prefix: string): void {
  if (from === null) return;
  if (prefix === "") {
    from.on("data", (chunk: Buffer) => to.write(chunk));
    return;
  }
  // Prefix every line; a line split across chunks is written once it is complete.
  const decoder = new StringDecoder("utf8");
  let rest = "";
  from.on("data", (chunk: Buffer) => {
    const text = rest + decoder.write(chunk);
    const end = text.lastIndexOf("\n");
    if (end < 0) {
      rest = text;
      return;
    }
    rest = text.slice(end + 1);
    const lines = text.slice(0, end).split("\n");
    let out = "";
    for (const line of lines) out += `${prefix}${line}\n`;
    to.write(out);
  });
  from.on("end", () => {
    const last = rest + decoder.end();
    rest = "";
    if (last !== "") to.write(`${prefix}${last}\n`);
  });
}

/** With mode "forward": copies the child's stdout and stderr to this process's, each line prefixed. */
export function forwardOutput(child: ChildProcess, prefix: string): void {
  forwardStream(child.stdout, process.stdout, prefix);
  forwardStream(child.stderr, process.stderr, prefix);
}
