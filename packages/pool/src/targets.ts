import { describeTarget, type Target, type TargetSpec } from "./interop.js";

/**
 * The targets an executor has seen, each described once and numbered: a task names its target by index,
 * and each worker is sent a target's description (DEFINE) before its first task that uses it.
 */
export class TargetTable {
  readonly #specs: TargetSpec[] = [];
  readonly #byKey = new Map<string, number>();
  readonly #byObject = new WeakMap<object, number>();
  #lastTarget: unknown;
  #lastIndex = -1;

  /** The index of a target (function or module target), describing it on first use. */
  indexOf(target: unknown): number {
    if (target === this.#lastTarget) return this.#lastIndex;
    const cacheable = (typeof target === "object" && target !== null) || typeof target === "function";
    let index = cacheable ? this.#byObject.get(target as object) : undefined;
    if (index === undefined) {
      const spec = describeTarget(target as Target);
      const key =
        spec.kind === "module" ? `m:${spec.exportName}:${spec.url}` : `s:${spec.name}:${spec.source}`;
      index = this.#byKey.get(key);
      if (index === undefined) {
        index = this.#specs.length;
        this.#specs.push(spec);
        this.#byKey.set(key, index);
      }
      if (cacheable) this.#byObject.set(target as object, index);
    }
    this.#lastTarget = target;
    this.#lastIndex = index;
    return index;
  }

  /** Whether `target` (this very object or function) was described already. */
  has(target: unknown): boolean {
    if (target === this.#lastTarget) return true;
    return (
      ((typeof target === "object" && target !== null) || typeof target === "function") &&
      this.#byObject.has(target as object)
    );
  }

  /** The description of target `index`. */
  spec(index: number): TargetSpec {
    return this.#specs[index]!;
  }
}
