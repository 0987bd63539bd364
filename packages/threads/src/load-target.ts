import type { TargetSpec } from "./describe-target.js";
import { TargetLoadError } from "./errors.js";
import { evaluateSource } from "./source-shims.js";
import { importTypeScript, isTypeScriptUrl } from "./typescript-import.js";

/**
 * A loaded target: call it with the task's arguments.
 *
 * @example
 * ```ts
 * const fn: LoadedTarget = await loadTarget(spec);
 * const value = await fn(1, 2);
 * ```
 */
export type LoadedTarget = (...args: unknown[]) => unknown;

const loaded = new Map<string, Promise<LoadedTarget>>();

/**
 * Turns a {@link TargetSpec} into the function to call, inside a worker or child process: imports the module
 * (TypeScript modules through tsx when the process runs under tsx) or evaluates the source. Cached per spec, so
 * a pool worker pays the import once.
 *
 * @throws TargetLoadError (as a rejection) when the module cannot be imported, lacks the export, or the export
 * or source is not a function
 * @example
 * ```ts
 * // inside a worker, with a spec received from describeTarget() on the other side
 * const fn = await loadTarget(spec);
 * const result = await fn(...args);
 * ```
 */
export function loadTarget(spec: TargetSpec): Promise<LoadedTarget> {
  if (!isSpec(spec)) {
    return Promise.reject(
      new TargetLoadError(
        "loadTarget(spec): spec must be a value returned by describeTarget(), passed unchanged.",
      ),
    );
  }
  const key = spec.kind === "module" ? `m\0${spec.url}\0${spec.exportName}` : `s\0${spec.source}`;
  let entry = loaded.get(key);
  if (entry === undefined) {
    entry =
      spec.kind === "module" ? loadModule(spec.url, spec.exportName) : loadSource(spec.source, spec.name);
    loaded.set(key, entry);
    // A failed load is not cached: the module may be fixed or become importable later.
    entry.catch(() => loaded.delete(key));
  }
  return entry;
}

async function loadModule(url: string, exportName: string): Promise<LoadedTarget> {
  let namespace: Record<string, unknown>;
  try {
    // Run-time URLs: bundlers must leave this import alone (webpack would make it a context module).
    namespace = (await import(/* webpackIgnore: true */ /* @vite-ignore */ url)) as Record<string, unknown>;
  } catch (cause) {
    const code = (cause as { code?: unknown } | null)?.code;
    const typescript = code === "ERR_UNKNOWN_FILE_EXTENSION" && isTypeScriptUrl(url);
    const viaTsx = typescript ? await importTypeScript(url).catch((error: unknown) => error) : undefined;
    if (viaTsx !== undefined && !(viaTsx instanceof Error)) {
      namespace = viaTsx as Record<string, unknown>;
    } else {
      const hint = typescript
        ? viaTsx instanceof Error
          ? " tsx failed to compile it."
          : " It is TypeScript: run under tsx (node --import tsx) with tsx installed, or build it to JavaScript."
        : "";
      throw new TargetLoadError(`Cannot import the target module ${url}.${hint}`, {
        cause: viaTsx instanceof Error ? viaTsx : cause,
      });
    }
  }
  const value = namespace[exportName];
  if (typeof value === "function") return value as LoadedTarget;
  if (!(exportName in namespace)) {
    const names = Object.keys(namespace).filter((n) => typeof namespace[n] === "function");
    throw new TargetLoadError(
      `The module ${url} has no export "${exportName}"` +
        (names.length > 0 ? `; its function exports are: ${names.join(", ")}.` : "."),
    );
  }
  throw new TargetLoadError(
    `The export "${exportName}" of ${url} is ${describeValue(value)}, not a function.`,
  );
}

async function loadSource(source: string, name: string): Promise<LoadedTarget> {
  let value: unknown;
  try {
    value = evaluateSource(source, name);
  } catch (cause) {
    throw new TargetLoadError(`Cannot evaluate the source of the target ${name || "function"}.`, {
      cause,
    });
  }
  if (typeof value !== "function") {
    throw new TargetLoadError(`The source of ${name || "the target"} evaluated to ${describeValue(value)}.`);
  }
  return value as LoadedTarget;
}

function isSpec(spec: unknown): spec is TargetSpec {
  const s = spec as Record<string, unknown> | null;
  if (typeof s !== "object" || s === null) return false;
  if (s.kind === "module") return typeof s.url === "string" && typeof s.exportName === "string";
  return s.kind === "source" && typeof s.source === "string" && typeof s.name === "string";
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return `an object (${Object.prototype.toString.call(value)})`;
  return `a ${typeof value}`;
}
