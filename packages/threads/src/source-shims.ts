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
  return import(specifier);
}

const shims: Record<string, unknown> = { __name, __vite_ssr_dynamic_import__ };

/** Names a function target may use because the thread provides them. */
export const SHIMMED_HELPERS: ReadonlySet<string> = new Set(Object.keys(shims));

/** Evaluates a function target's source (from `describeTarget`) with the helpers in scope. */
export function evaluateSource(source: string): unknown {
  const names = Object.keys(shims);
  const factory = new Function(...names, `"use strict";\nreturn ${source};`);
  return factory(...names.map((n) => shims[n]));
}
