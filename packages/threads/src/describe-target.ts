import { existsSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { isAbsolute, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { loadAcorn } from "#acorn";
import { BoundedCache } from "./bounded-cache.js";
import { ClosureError, TargetError } from "./errors.js";
import { type FreeReference, findFreeReferences } from "./free-variables.js";
import { renamedNameHelpers } from "./keep-names.js";
import { knownGlobals } from "./known-globals.js";
import { SHIMMED_HELPERS } from "./source-shims.js";

/**
 * A function exported by a module: the module is imported inside the thread and `export` (default
 * `"default"`) is called there. Works for any code, including code with imports and closures.
 *
 * @example
 * ```ts
 * const target: ModuleTarget = { module: new URL("./tasks/countdown.js", import.meta.url), export: "countdown" };
 * ```
 */
export interface ModuleTarget {
  /** A `file:`/`data:`/`node:` URL, an absolute path, or a package specifier resolvable from the working directory. */
  module: string | URL;
  /** The export to call; defaults to `"default"`. */
  export?: string;
}

/**
 * What a thread (or pool task) runs: a self-contained function, sent as source, or a {@link ModuleTarget}.
 *
 * @example
 * ```ts
 * const square: Target<[number], number> = (n) => n * n;
 * ```
 */
export type Target<A extends unknown[] = unknown[], R = unknown> =
  | ((...args: A) => R | Promise<R>)
  | ModuleTarget;

/**
 * A validated target in structured-cloneable form, as produced by {@link describeTarget} on the caller's side
 * and consumed by {@link loadTarget} inside a worker or child process.
 *
 * @example
 * ```ts
 * const spec: TargetSpec = describeTarget((a: number, b: number) => a + b);
 * // { kind: "source", source: "((a, b) => a + b)", name: "" }
 * ```
 */
export type TargetSpec =
  | { readonly kind: "module"; readonly url: string; readonly exportName: string }
  | { readonly kind: "source"; readonly source: string; readonly name: string };

// Per target object first; then per source text or module reference, because pools are often handed a fresh
// closure or `{ module, export }` literal for every task, and parsing or touching the file system each time
// would cost more than the task.
const described = new WeakMap<object, TargetSpec>();
const bySource = new BoundedCache<TargetSpec>(512);
const byModule = new BoundedCache<TargetSpec>(512);

/**
 * Validates a target on the caller's side and returns its structured-cloneable {@link TargetSpec}. A function
 * is checked to be self-contained: one that refers to an outer variable throws {@link ClosureError} naming it.
 * A module target is resolved to a URL and checked to exist. Results are cached per function or target object.
 *
 * Functions compiled by esbuild, tsx, tsup or vitest may contain helpers those tools inject: `__name(...)`
 * (keepNames) and vitest's `__vite_ssr_dynamic_import__` are provided inside the thread; other helpers (for
 * example `__using` from a lowered `using` declaration) make the function not self-contained, and the error
 * says so.
 *
 * @throws ClosureError when a function uses variables from its surrounding scope
 * @throws TargetError when the target is malformed or its module cannot be found
 * @example
 * ```ts
 * describeTarget((n: number) => n * 2); // { kind: "source", ... }
 * describeTarget({ module: new URL("./task.js", import.meta.url), export: "run" }); // { kind: "module", ... }
 * ```
 */
export function describeTarget(target: Target<never[], unknown>): TargetSpec {
  if ((typeof target !== "function" && typeof target !== "object") || target === null) {
    throw new TargetError(
      `A target (of a thread or a pool task) must be a function or { module, export }, got ${target === null ? "null" : typeof target}.`,
    );
  }
  let spec = described.get(target);
  if (spec === undefined) {
    spec = typeof target === "function" ? describeFunction(target) : describeModule(target);
    described.set(target, spec);
  }
  return spec;
}

function describeFunction(fn: Function): TargetSpec {
  const text = Function.prototype.toString.call(fn);
  const name = inferredName(fn);
  const key = `${name}\0${text}`;
  const cached = bySource.get(key);
  if (cached !== undefined) return cached;
  if (/\{\s*\[native code\]\s*\}\s*$/.test(text)) {
    throw new TargetError(
      `The target ${name ? `\`${name}\` ` : ""}is a bound or built-in function, which has no source to send. ` +
        "Pass an arrow function that calls it, or a module target.",
    );
  }
  if (/^class\b/.test(text)) {
    throw new TargetError(
      `The target ${name ? `\`${name}\` ` : ""}is a class; pass a function that constructs it instead.`,
    );
  }
  const { fnNode, source } = parseFunction(text, name);
  const refs = findFreeReferences(fnNode);
  // esbuild's __name helper, renamed by --minify --keep-names: bound to the thread's own __name.
  const globals = knownGlobals();
  const renamed = renamedNameHelpers(
    fnNode,
    refs,
    (n) => !globals.has(n) && !SHIMMED_HELPERS.has(n) && !n.startsWith("__"),
  );
  checkSelfContained(name, renamed.length === 0 ? refs : refs.filter((ref) => !renamed.includes(ref.name)));
  const sent =
    renamed.length === 0
      ? source
      : `((${renamed.join(", ")}) => ${source})(${renamed.map(() => "__name").join(", ")})`;
  const spec: TargetSpec = Object.freeze({ kind: "source", source: sent, name });
  bySource.set(key, spec);
  return spec;
}

/**
 * A function's own name; "" for an arrow written inline as `{ target: () => ... }`, whose name JavaScript
 * infers from the property key and which would otherwise call every such thread "target".
 */
export function inferredName(fn: Function): string {
  return fn.name === "target" && !Object.hasOwn(fn, "prototype") ? "" : fn.name;
}

function parseFunction(text: string, name: string): { fnNode: any; source: string } {
  // Function and arrow sources are expressions once parenthesised.
  const asExpression = `(${text})`;
  const expression = tryParse(asExpression);
  if (
    expression &&
    (expression.type === "FunctionExpression" || expression.type === "ArrowFunctionExpression")
  ) {
    return { fnNode: expression, source: asExpression };
  }
  // Method shorthand (`run(n) { ... }`, `async *gen() {}`): valid only inside an object literal.
  const asObject = `({${text}})`;
  const object = tryParse(asObject);
  if (object && object.type === "ObjectExpression" && object.properties.length === 1) {
    const property = object.properties[0];
    if (property.kind !== "init") {
      throw new TargetError(`The target \`${name}\` is a getter or setter; pass a function instead.`);
    }
    return {
      fnNode: property.value,
      source: `((o) => o[Reflect.ownKeys(o)[0]])(${asObject})`,
    };
  }
  throw new TargetError(
    `The source of the target ${name ? `\`${name}\` ` : ""}could not be parsed as a function ` +
      `(${text.length > 80 ? `${text.slice(0, 77)}...` : text}). Use a module target instead.`,
  );
}

function tryParse(code: string): any {
  const parse = acorn().parse;
  try {
    const program = parse(code, { ecmaVersion: "latest", sourceType: "script" });
    const statement = program.body.length === 1 ? program.body[0] : undefined;
    return statement?.type === "ExpressionStatement" ? statement.expression : undefined;
  } catch {
    return undefined;
  }
}

// Loaded on first use: threads import this module too, and most never describe a function target.
let parser: typeof import("acorn") | undefined;
function acorn(): typeof import("acorn") {
  if (parser !== undefined) return parser;
  try {
    parser = loadAcorn();
  } catch (cause) {
    throw new TargetError(
      "@weft/threads could not load acorn, the parser it checks function targets with " +
        `(${cause instanceof Error ? cause.message.split("\n")[0] : String(cause)}). acorn is a dependency of ` +
        "@weft/threads: install it beside weft (a pruned deploy left it out), or bundle it (bundlers that use the " +
        '"module" export condition bundle it on their own; see the Bundling pages of the docs). Module targets ' +
        "work without it.",
      { cause },
    );
  }
  return parser;
}

/** Compiler helpers a thread does not provide, and the setting that makes the compiler emit each. */
const HELPER_SETTINGS = new Map<string, string>([
  ...[
    "__generator",
    "__values",
    "__read",
    "__spread",
    "__spreadArray",
    "__extends",
    "__makeTemplateObject",
  ].map((h) => [h, "TypeScript's `target` below ES2015"] as const),
  ...["__await", "__asyncGenerator", "__asyncDelegator", "__asyncValues"].map(
    (h) => [h, "TypeScript's `target` below ES2018"] as const,
  ),
  ...["__classPrivateFieldGet", "__classPrivateFieldSet", "__classPrivateFieldIn"].map(
    (h) => [h, "TypeScript's `target` below ES2022"] as const,
  ),
  ...["__addDisposableResource", "__disposeResources"].map(
    (h) => [h, "TypeScript's `target` below ESNext (a lowered `using`)"] as const,
  ),
  ...["__spreadValues", "__spreadProps", "__objRest", "__asyncGenerator", "__forAwait"].map(
    (h) => [h, "esbuild's `target` below es2018"] as const,
  ),
  ...["__publicField", "__privateGet", "__privateSet", "__privateAdd", "__privateMethod", "__privateIn"].map(
    (h) => [h, "esbuild's `target` below es2022"] as const,
  ),
  ...["__using", "__callDispose"].map(
    (h) => [h, "esbuild's `target` below esnext (a lowered `using`)"] as const,
  ),
]);

const VITEST_IMPORT = /^__vi(?:te_ssr)?_import_\d+__$/;
const COMMONJS = new Set(["require", "module", "exports", "__dirname", "__filename"]);

function checkSelfContained(name: string, refs: readonly FreeReference[]): void {
  const globals = knownGlobals();
  const variables: string[] = [];
  const details: string[] = [];
  const seen = new Set<string>();
  const note = (variable: string, detail?: string) => {
    if (seen.has(variable)) return;
    seen.add(variable);
    variables.push(variable);
    if (detail) details.push(detail);
  };
  for (const ref of refs) {
    if (globals.has(ref.name) || SHIMMED_HELPERS.has(ref.name)) continue;
    if (VITEST_IMPORT.test(ref.name)) {
      const imported = ref.member ?? ref.name;
      note(
        imported,
        `(\`${imported}\` is an import, which vitest compiled to ${ref.name}${ref.member ? `.${ref.member}` : ""}.)`,
      );
    } else if (ref.name === "import.meta" || ref.name === "__vite_ssr_import_meta__") {
      note(
        "import.meta",
        "(`import.meta` describes the function's module; pass import.meta.url as an argument.)",
      );
    } else if (COMMONJS.has(ref.name)) {
      note(
        ref.name,
        `(\`${ref.name}\` is a CommonJS module variable; inside the function use \`await import("node:...")\`.)`,
      );
    } else if (ref.name.startsWith("__")) {
      const setting = HELPER_SETTINGS.get(ref.name);
      note(
        ref.name,
        setting === undefined
          ? `(\`${ref.name}\` looks like a helper your compiler (esbuild, tsc, tsx, tsup, vitest) injected; a ` +
              "function that needs one cannot travel as source, so use a module target.)"
          : `(\`${ref.name}\` is a helper that ${setting} puts in the function; raise that target (Node 20 runs ` +
              "ES2022 as is) or use a module target.)",
      );
    } else {
      note(ref.name);
    }
  }
  if (variables.length > 0) throw new ClosureError(name, variables, details);
}

function describeModule(target: object): TargetSpec {
  const { module, export: exportName = "default", ...rest } = target as Partial<ModuleTarget>;
  const extra = Object.keys(rest);
  if (extra.length > 0) {
    throw new TargetError(
      `A module target takes { module, export }; unexpected ${extra.map((k) => `"${k}"`).join(", ")}.`,
    );
  }
  if (typeof exportName !== "string" || exportName === "") {
    throw new TargetError(
      `A module target's export must be a non-empty string, got ${JSON.stringify(exportName)}.`,
    );
  }
  const reference = module instanceof URL ? module.href : typeof module === "string" ? module : undefined;
  // Package specifiers resolve from the working directory, so it is part of the key.
  const key = reference === undefined ? undefined : `${exportName}\0${reference}\0${process.cwd()}`;
  const cached = key === undefined ? undefined : byModule.get(key);
  if (cached !== undefined) return cached;
  const spec: TargetSpec = Object.freeze({ kind: "module", url: resolveModule(module), exportName });
  if (key !== undefined) byModule.set(key, spec);
  return spec;
}

const JS_TO_TS: Readonly<Record<string, string>> = {
  ".js": ".ts",
  ".mjs": ".mts",
  ".cjs": ".cts",
  ".jsx": ".tsx",
};

/**
 * The TypeScript source that a missing `.js` module stands for: TypeScript code names its modules by their
 * compiled name (`new URL("./work.js", import.meta.url)`), which exists after `tsc` but not when the sources
 * run as they are (tsx, Node's type stripping). Undefined when there is no such source.
 */
function typeScriptSource(url: URL): URL | undefined {
  const match = /\.[cm]?jsx?$/.exec(url.pathname);
  if (match === null) return undefined;
  const source = new URL(url.href);
  source.pathname = url.pathname.slice(0, match.index) + JS_TO_TS[match[0]];
  return existsSync(fileURLToPath(source)) ? source : undefined;
}

function resolveModule(module: unknown): string {
  let url: URL;
  if (module instanceof URL) {
    url = module;
  } else if (typeof module !== "string" || module === "") {
    throw new TargetError(
      "A module target needs `module`: a URL (new URL('./task.js', import.meta.url)), an absolute path or a " +
        `package specifier; got ${module === "" ? "an empty string" : typeof module}.`,
    );
  } else if (/^[a-zA-Z][a-zA-Z\d+.-]+:/.test(module)) {
    try {
      url = new URL(module);
    } catch {
      throw new TargetError(`The module target "${module}" is not a valid URL.`);
    }
  } else if (isAbsolute(module)) {
    url = pathToFileURL(module);
  } else if (module.startsWith(".")) {
    throw new TargetError(
      `The module target "${module}" is relative, and a thread cannot tell what it is relative to. ` +
        `Pass new URL("${module}", import.meta.url) instead.`,
    );
  } else if (isBuiltin(module)) {
    return module.startsWith("node:") ? module : `node:${module}`;
  } else {
    try {
      url = pathToFileURL(createRequire(join(process.cwd(), "noop.js")).resolve(module));
    } catch {
      throw new TargetError(
        `The package specifier "${module}" cannot be resolved from ${process.cwd()}. ` +
          `Pass import.meta.resolve("${module}") from your own module instead.`,
      );
    }
  }
  if (url.protocol === "file:" && !existsSync(fileURLToPath(url))) {
    const source = typeScriptSource(url);
    if (source !== undefined) return source.href;
    throw new TargetError(`The module target ${url.href} does not exist (${fileURLToPath(url)}).`);
  }
  return url.href;
}
