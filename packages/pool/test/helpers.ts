import { moduleTask, type TaskFunction, type TypedModuleTarget } from "@weft/pool";

const url = new URL("./fixtures/tasks.mjs", import.meta.url);

/** A module target for an export of test/fixtures/tasks.mjs. */
export function fixture<F extends TaskFunction = TaskFunction>(name: string): TypedModuleTarget<F> {
  return moduleTask<F>(url, name);
}

/** What `fn()` threw; fails the test when it returns. */
export function thrownBy(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a throw");
}

/** `[]` nested `n` levels deep. */
export function deepArray(n: number): unknown[] {
  let d: unknown[] = [];
  for (let i = 0; i < n; i++) d = [d];
  return d;
}
