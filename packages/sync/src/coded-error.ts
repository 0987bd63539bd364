// Stable error codes for every weft error class, and the registry (one per thread) that rebuilds an error of
// the right class after it crossed a thread or process boundary.
//
// Each weft error class carries a stable `code` (own instance property, so it survives structured clone) and is
// registered here by that code. `instanceof` is code-based for registered classes: an error made by another copy
// of the same package (its ESM and CJS builds loaded side by side, or two installed copies) still passes
// `instanceof` for the class with the same code.

const kCode: unique symbol = Symbol.for("@weft/error:code");
const kClasses: unique symbol = Symbol.for("@weft/error:classes");
/** What this copy registered, to refuse two classes of one copy under one code. */
const registeredHere = new Map<string, ErrorClass>();
/**
 * The classes by code, shared by every copy of this module in the thread (on globalThis): a copy bundled into
 * another weft package's file rebuilds the errors that the package's own copy registered, and the other way round.
 */
const registry = globalThis as { [kClasses]?: Map<string, ErrorClass> };
registry[kClasses] ??= new Map();
const classes: Map<string, ErrorClass> = registry[kClasses];

/** A weft error class: its constructor carries the stable code. */
export type ErrorClass = abstract new (...args: never[]) => Error;

const ordinaryHasInstance = Function.prototype[Symbol.hasInstance];

function hasCode(value: unknown, code: string): boolean {
  if (typeof value !== "object" || value === null) return false;
  for (let p = Object.getPrototypeOf(value); p !== null; p = Object.getPrototypeOf(p)) {
    const ctor = Object.hasOwn(p, "constructor") ? (p.constructor as unknown) : undefined;
    if (typeof ctor === "function" && Object.hasOwn(ctor, kCode) && (ctor as never)[kCode] === code)
      return true;
  }
  return false;
}

/**
 * Registers a weft error class under its stable `code`: `errorClassFor(code)` returns it, and `instanceof`
 * accepts errors of the same code from another copy of the package. Call once per class, right after it.
 *
 * @param ctor - the class
 * @param code - its stable code, e.g. `"ERR_WEFT_TIMEOUT"`; unique across weft
 * @example
 * ```ts
 * import { registerErrorClass } from "@weft/sync/extension";
 * export class WidgetError extends Error {
 *   override name = "WidgetError";
 *   readonly code = "ERR_WEFT_WIDGET";
 * }
 * registerErrorClass(WidgetError, "ERR_WEFT_WIDGET");
 * ```
 */
export function registerErrorClass(ctor: ErrorClass, code: string): void {
  if (typeof ctor !== "function") throw new TypeError("registerErrorClass(ctor, code): ctor must be a class");
  if (typeof code !== "string" || !/^ERR_WEFT_[A-Z0-9_]+$/.test(code)) {
    throw new TypeError(
      `registerErrorClass(ctor, code): code must look like ERR_WEFT_NAME, got ${String(code)}`,
    );
  }
  const known = registeredHere.get(code);
  if (known !== undefined && known !== ctor) {
    throw new TypeError(`registerErrorClass: code ${code} is already registered to ${known.name}`);
  }
  registeredHere.set(code, ctor);
  // Another copy of this module may have registered the code first: its class is the same class of another copy
  // of the package that defines it (the first one stays the one errors are rebuilt as; `instanceof` is
  // code-based for both). Class names cannot tell copies apart: builds rename classes.
  if (!classes.has(code)) classes.set(code, ctor);
  // Another copy of this registry (a second copy of @weft/sync) may have registered the same class already.
  if (Object.hasOwn(ctor, kCode)) return;
  Object.defineProperty(ctor, kCode, { value: code });
  Object.defineProperty(ctor, Symbol.hasInstance, {
    value: function hasInstance(this: unknown, value: unknown): boolean {
      if (ordinaryHasInstance.call(this, value)) return true;
      // A subclass (user-defined, unregistered) inherits this method: only its own instances are its own.
      if (typeof this !== "function" || !Object.hasOwn(this, kCode)) return false;
      return hasCode(value, (this as never)[kCode]);
    },
  });
}

/**
 * The class registered under `code` in this copy of weft, or undefined.
 *
 * @example
 * ```ts
 * import { errorClassFor } from "@weft/sync/extension";
 * errorClassFor("ERR_WEFT_TIMEOUT"); // TimeoutError
 * ```
 */
export function errorClassFor(code: unknown): ErrorClass | undefined {
  return typeof code === "string" ? classes.get(code) : undefined;
}

/**
 * The stable code of a weft error class, or undefined for other classes.
 *
 * @example
 * ```ts
 * import { TimeoutError } from "@weft/sync";
 * import { codeOf } from "@weft/sync/extension";
 * codeOf(TimeoutError); // "ERR_WEFT_TIMEOUT"
 * ```
 */
export function codeOf(ctor: unknown): string | undefined {
  return typeof ctor === "function" && Object.hasOwn(ctor, kCode)
    ? ((ctor as never)[kCode] as string)
    : undefined;
}
