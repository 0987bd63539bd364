// The value checks of a thread's options, shared by `new Thread(options)` and `new Timer(...)` so that each
// names its own call in its messages.
import type { Target } from "./describe-target.js";
import { TargetError, ThreadOptionError } from "./errors.js";

/** @internal What a value is, for a message: `null`, `an array`, `a function`, else its typeof. */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "function") return "a function";
  return typeof value;
}

/** @internal Checks a thread's target (a function or `{ module, export }`; the rest is checked at start). */
export function checkTarget<A extends unknown[], R>(where: string, target: Target<A, R>): void {
  if (target === undefined) {
    throw new TargetError(`${where}: target is missing: pass a function or { module, export }.`);
  }
  if ((typeof target !== "function" && typeof target !== "object") || target === null) {
    throw new TargetError(
      `${where}: target must be a function or { module, export }, got ${kindOf(target)}.`,
    );
  }
}

/** @internal Checks a thread's args: undefined or an array. `hint` follows the message when given. */
export function checkArgs(where: string, args: unknown, hint = ""): void {
  if (args !== undefined && !Array.isArray(args)) {
    throw new ThreadOptionError(`${where}: args must be an array, got ${kindOf(args)}${hint}.`);
  }
}

/** @internal Checks a thread's name and daemon flag: undefined, or a string and a boolean. */
export function checkNameAndDaemon(where: (option: string) => string, name: unknown, daemon: unknown): void {
  if (name !== undefined && typeof name !== "string") {
    throw new ThreadOptionError(`${where("name")}: name must be a string, got ${kindOf(name)}.`);
  }
  if (daemon !== undefined && typeof daemon !== "boolean") {
    throw new ThreadOptionError(`${where("daemon")}: daemon must be a boolean, got ${kindOf(daemon)}.`);
  }
}
