/**
 * Stand-ins for the helpers that compilers put inside function bodies, provided as parameters of the wrapper
 * that evaluates a function target's source in the thread.
 */

/** `__name(fn, "name")` from esbuild's keepNames (tsx, tsup with keepNames, vitest): sets `fn.name`. */
function __name<T>(target: T, value: string): T {
  Object.defineProperty(target, "name", { value, configurable: true });
  return target;
}

/** vitest rewrites `import(x)` to `__vite_ssr_dynamic_import__(x)`. */
function __vite_ssr_dynamic_import__(specifier: string): Promise<unknown> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);
}

const shims: Record<string, unknown> = { __name, __vite_ssr_dynamic_import__ };

/** Names a function target may use because the thread provides them. */
export const SHIMMED_HELPERS: ReadonlySet<string> = new Set(Object.keys(shims));

/**
 * Evaluates a function target's source (from `describeTarget`) with the helpers in scope. The `sourceURL`
 * names the target in stack traces (`at countdown (thread-target:countdown:3:11)`).
 */
export function evaluateSource(source: string, name: string): unknown {
  const names = Object.keys(shims);
  const label = (name || "anonymous").replace(/[^\w$.-]/g, "_");
  const factory = new Function(
    ...names,
    `"use strict";\nreturn ${source};\n//# sourceURL=thread-target:${label}`,
  );
  return factory(...names.map((n) => shims[n]));
}
