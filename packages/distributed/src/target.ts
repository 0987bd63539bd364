// What a job asks a worker to run, in the form that travels in the job's data: a module task (a module
// specifier and an export name, which the worker looks up in its allowlist) or a function's source (which
// a worker runs only when it allows function source).
import { createRequire } from "node:module";
import { isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { errorClassFor } from "@weft/sync/extension";

/** A job's target as sent: `m`/`e` for a module task, `s`/`n` for function source. */
export type WireTarget =
  | { readonly m: string; readonly e: string }
  | { readonly s: string; readonly n: string };

/** The error weft raises for a malformed target (`@weft/threads`' TargetError, found by its stable code). */
export function targetError(message: string): Error {
  const TargetError = errorClassFor("ERR_WEFT_TARGET") as (new (message: string) => Error) | undefined;
  if (TargetError !== undefined) return new TargetError(message);
  return Object.assign(new TypeError(message), { name: "TargetError", code: "ERR_WEFT_TARGET" });
}

/**
 * A module specifier in the form both sides compare: a URL's href, an absolute or relative path as a file
 * URL (relative to the working directory), and anything else (a package name, or a name a worker's `tasks`
 * record gives a module) as it is.
 */
export function normalizeSpecifier(module: string | URL): string {
  if (module instanceof URL) return module.href;
  if (/^(?:file|data|node|https?):/.test(module)) return module;
  if (isAbsolute(module)) return pathToFileURL(module).href;
  if (module.startsWith("./") || module.startsWith("../")) return pathToFileURL(resolve(module)).href;
  return module;
}

/** Resolves a package specifier from the working directory (a worker imports what it serves from there). */
export function importableUrl(specifier: string): string {
  if (/^(?:file|data|node):/.test(specifier)) return specifier;
  return pathToFileURL(createRequire(join(process.cwd(), "noop.js")).resolve(specifier)).href;
}

const described = new WeakMap<object, WireTarget>();

/** Validates a submitted target and returns what its jobs carry. Throws TargetError when malformed. */
export function describeTarget(target: unknown): WireTarget {
  if ((typeof target !== "function" && typeof target !== "object") || target === null) {
    throw targetError(
      `a task target must be a function or a module task { module, export } (see moduleTask), got ${target === null ? "null" : typeof target}`,
    );
  }
  let wire = described.get(target);
  if (wire === undefined) {
    wire = typeof target === "function" ? describeFunction(target) : describeModule(target);
    described.set(target, wire);
  }
  return wire;
}

function describeFunction(fn: Function): WireTarget {
  const text = Function.prototype.toString.call(fn);
  const name = fn.name === "target" || fn.name === "anonymous" ? "" : fn.name;
  if (/\{\s*\[native code\]\s*\}\s*$/.test(text)) {
    throw targetError(
      `the task ${name ? `\`${name}\` ` : ""}is a bound or built-in function, which has no source to send; ` +
        "pass a module task (moduleTask) instead",
    );
  }
  if (/^class\b/.test(text))
    throw targetError("a class is not a task target; pass a module task (moduleTask)");
  // Method shorthand (`run(n) { ... }`) is valid source only inside an object literal.
  const isExpression = /^(?:async\s+)?(?:function\b|\(|[\w$]+\s*=>)/.test(text);
  const source = isExpression ? `(${text})` : `({${text}})[${JSON.stringify(fn.name)}]`;
  return { s: source, n: name };
}

function describeModule(target: object): WireTarget {
  const { module, export: exportName = "default" } = target as { module?: unknown; export?: unknown };
  if (typeof module !== "string" && !(module instanceof URL)) {
    throw targetError("a module task needs `module`: a URL, a path or a package name (see moduleTask)");
  }
  if (typeof exportName !== "string" || exportName === "") {
    throw targetError("a module task's `export` must be the name of an exported function");
  }
  return { m: normalizeSpecifier(module), e: exportName };
}

/** How a target is named in a BullMQ job (shown by dashboards; the module is in the job's data): `export` or `fn:name`. */
export function jobName(target: WireTarget): string {
  return "m" in target ? target.e : `fn:${target.n || "anonymous"}`;
}
