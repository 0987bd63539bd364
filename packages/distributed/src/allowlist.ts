// The worker's allowlist: the modules it serves (imported once, at start, so a typo fails at once) and,
// only when enabled, function source from jobs. A job naming anything else is refused.
import { PoolOptionError } from "@weft/pool";
import { TaskNotAllowedError } from "./errors.js";
import { importableUrl, normalizeSpecifier, targetError, type WireTarget } from "./target.js";

/**
 * The module tasks a worker serves: a list of modules (URLs, paths, package names), or a record that also
 * names them (a producer on another machine can then use the name: `moduleTask("images", "resize")`).
 * Every export of a listed module that is a function may be called by jobs.
 *
 * @example
 * ```ts
 * const tasks: TaskAllowlist = [new URL("./tasks.js", import.meta.url)];
 * const named: TaskAllowlist = { images: "./dist/images.js", "@acme/reports": "@acme/reports" };
 * ```
 */
export type TaskAllowlist = ReadonlyArray<string | URL> | Readonly<Record<string, string | URL>>;

/** A served module: its URL (as a pool worker imports it) and, once loaded, its exports. */
interface Served {
  readonly url: string;
  readonly exports: Record<string, unknown>;
  /** Per export name: what resolve() returns (made once). */
  readonly resolved: Map<string, Resolved>;
}

/** What a job's target resolves to: the function, and for a module task its module and export. */
interface Resolved {
  readonly fn: (...args: unknown[]) => unknown;
  readonly module?: { module: string; export: string };
}

/** Functions a job may run, found from its {@link WireTarget}. */
export class Allowlist {
  readonly #byKey = new Map<string, Served>();
  readonly #allowSource: boolean;
  readonly #sources = new Map<string, Resolved>();

  private constructor(allowSource: boolean) {
    this.#allowSource = allowSource;
  }

  /** Imports every listed module; a missing one fails here, naming it. */
  static async load(tasks: unknown, allowFunctionSource: boolean): Promise<Allowlist> {
    const list = new Allowlist(allowFunctionSource);
    const entries = entriesOf(tasks);
    if (entries.length === 0 && !allowFunctionSource) {
      throw new PoolOptionError(
        "serveQueue options: tasks must list at least one module (e.g. [new URL('./tasks.js', import.meta.url)])",
      );
    }
    for (const [name, specifier] of entries) {
      const key = normalizeSpecifier(specifier);
      let url: string;
      let exports: Record<string, unknown>;
      try {
        url = importableUrl(key);
        exports = (await import(url)) as Record<string, unknown>;
      } catch (err) {
        throw Object.assign(
          targetError(
            `serveQueue: could not import the task module ${String(specifier)}: ${(err as Error)?.message ?? err}`,
          ),
          { cause: err },
        );
      }
      const served: Served = { url, exports, resolved: new Map() };
      list.#byKey.set(key, served);
      list.#byKey.set(url, served);
      if (name !== undefined) list.#byKey.set(name, served);
    }
    return list;
  }

  /** The module URLs served (for logs). */
  get modules(): string[] {
    return [...new Set([...this.#byKey.values()].map((s) => s.url))];
  }

  /**
   * What to run for `target`: the function (and, for module tasks, its module URL and export, so a pool can
   * import it itself). Throws TaskNotAllowedError for anything the worker does not serve.
   */
  resolve(target: WireTarget): Resolved {
    if ("m" in target) {
      const served = this.#byKey.get(target.m);
      if (served === undefined) {
        throw new TaskNotAllowedError(
          `this worker does not serve the module ${target.m}; serve it (serveQueue tasks / weft-worker --module) ` +
            "or submit a module it serves",
        );
      }
      let resolved = served.resolved.get(target.e);
      if (resolved === undefined) {
        const fn = served.exports[target.e];
        if (typeof fn !== "function") {
          throw targetError(`the module ${served.url} has no exported function named "${target.e}"`);
        }
        resolved = {
          fn: fn as (...args: unknown[]) => unknown,
          module: { module: served.url, export: target.e },
        };
        served.resolved.set(target.e, resolved);
      }
      return resolved;
    }
    if (!this.#allowSource) {
      throw new TaskNotAllowedError(
        "this worker does not run function source sent through Redis (that would be remote code execution for " +
          "anyone who can write to the queue); submit a module task, or start the worker with allowFunctionSource",
      );
    }
    let resolved = this.#sources.get(target.s);
    if (resolved === undefined) {
      resolved = { fn: evaluate(target.s, target.n) };
      if (this.#sources.size >= 256) this.#sources.delete(this.#sources.keys().next().value!);
      this.#sources.set(target.s, resolved);
    }
    return resolved;
  }
}

function entriesOf(tasks: unknown): [string | undefined, string | URL][] {
  if (Array.isArray(tasks)) {
    return tasks.map((t, i) => {
      if (typeof t !== "string" && !(t instanceof URL)) {
        throw new PoolOptionError(
          `serveQueue options: tasks[${i}] must be a module URL, path or package name, got ${typeof t}`,
        );
      }
      return [undefined, t];
    });
  }
  if (tasks === undefined) return [];
  if (typeof tasks !== "object" || tasks === null) {
    throw new PoolOptionError(
      "serveQueue options: tasks must be a list of modules or a record { name: module }",
    );
  }
  return Object.entries(tasks).map(([name, t]) => {
    if (typeof t !== "string" && !(t instanceof URL)) {
      throw new PoolOptionError(
        `serveQueue options: tasks.${name} must be a module URL, path or package name, got ${typeof t}`,
      );
    }
    return [name, t];
  });
}

/**
 * Evaluates function source from a job. The helpers that bundlers put inside function bodies are in scope:
 * esbuild's keepNames `__name(fn, name)` and vitest's `__vite_ssr_dynamic_import__`.
 */
function evaluate(source: string, name: string): (...args: unknown[]) => unknown {
  const label = (name || "anonymous").replace(/[^\w$.-]/g, "_");
  const factory = new Function(
    "__name",
    "__vite_ssr_dynamic_import__",
    `"use strict";\nreturn ${source};\n//# sourceURL=weft-job:${label}`,
  );
  const setName = <T>(fn: T, value: string): T =>
    Object.defineProperty(fn, "name", { value, configurable: true });
  const fn = factory(setName, (specifier: string) => import(specifier));
  if (typeof fn !== "function") throw targetError("the job's function source did not evaluate to a function");
  return fn as (...args: unknown[]) => unknown;
}
