/**
 * Stand-ins for the helpers that compilers put inside function bodies, provided as parameters of the wrapper
 * that evaluates a function target's source in the thread.
 */

/** `__name(fn, "name")` from esbuild's keepNames (tsx, tsup with keepNames, vitest): sets `fn.name`. */
function __name<T>(target: T, value: string): T {
  Object.defineProperty(target, "name", { value, configurable: true });
  return target;
}

/**
 * vitest rewrites `import(x)` to `__vite_ssr_dynamic_import__(x)`; provided under that name (below), but not
 * declared under it: where vitest transforms this very module, a function of that name here would be what the
 * rewritten `import()`s of this module call, itself included.
 */
function viteDynamicImport(specifier: string): Promise<unknown> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);
}

/**
 * Runs a generator as an async function body: each `yield` awaits its operand. The semantics of TypeScript's
 * `__awaiter` and esbuild's `__async`, which lower `async` functions for targets without them (below ES2017).
 */
function runAsync(
  self: unknown,
  args: ArrayLike<unknown> | null | undefined,
  body: Function,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const generator = body.apply(self, args ?? []) as Generator<unknown, unknown, unknown>;
    const step = (advance: () => IteratorResult<unknown, unknown>): void => {
      let result: IteratorResult<unknown, unknown>;
      try {
        result = advance();
      } catch (error) {
        reject(error);
        return;
      }
      if (result.done) resolve(result.value);
      else
        Promise.resolve(result.value).then(
          (value) => step(() => generator.next(value)),
          (error) => step(() => generator.throw(error)),
        );
    };
    step(() => generator.next());
  });
}

/** TypeScript's `__awaiter(this, arguments, P, function* () {...})` (target below ES2017). */
function __awaiter(
  self: unknown,
  args: ArrayLike<unknown> | undefined,
  _P: unknown,
  body: Function,
): Promise<unknown> {
  return runAsync(self, args, body);
}

/** esbuild's `__async(this, arguments, function* () {...})` (target below es2017). */
function __async(self: unknown, args: ArrayLike<unknown> | null, body: Function): Promise<unknown> {
  return runAsync(self, args, body);
}

/** TypeScript's `__rest(source, excluded)`: object rest (target below ES2018). */
function __rest(source: object, excluded: readonly PropertyKey[]): Record<PropertyKey, unknown> {
  const rest: Record<PropertyKey, unknown> = {};
  for (const key of Reflect.ownKeys(source)) {
    if (!excluded.includes(key) && Object.prototype.propertyIsEnumerable.call(source, key)) {
      rest[key] = (source as Record<PropertyKey, unknown>)[key];
    }
  }
  return rest;
}

/** TypeScript's `__assign(target, ...sources)`: object spread (target below ES2018). */
const __assign = Object.assign;

const shims: Record<string, unknown> = {
  __name,
  __vite_ssr_dynamic_import__: viteDynamicImport,
  __awaiter,
  __async,
  __rest,
  __assign,
};

/** Names a function target may use because the thread provides them. */
export const SHIMMED_HELPERS: ReadonlySet<string> = new Set(Object.keys(shims));

/**
 * Lets self-contained function targets use `name` as if it were a global, bound to `value` in the thread
 * (extension API: @weft/pool provides `currentTask` this way). Call it on both sides, at module load: the
 * caller's side accepts the name in `describeTarget`, the thread's side binds it.
 *
 * @example
 * ```ts
 * import { provideToFunctionTargets } from "@weft/threads/extension";
 * provideToFunctionTargets("currentTask", currentTask);
 * ```
 */
export function provideToFunctionTargets(name: string, value: unknown): void {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new TypeError(`not an identifier: ${JSON.stringify(name)}`);
  shims[name] = value;
  (SHIMMED_HELPERS as Set<string>).add(name);
}

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
