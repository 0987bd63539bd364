// Small helpers shared by both pools' tests (process-pool's tsconfig includes this folder).

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

export { toldAbandoned } from "../../../sync/test/support/told-abandoned.js";
