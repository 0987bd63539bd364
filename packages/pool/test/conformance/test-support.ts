// Small helpers shared by both pools' tests (process-pool's tsconfig includes this folder).
import { AbandonedLockError, type Guard } from "@weft/sync";
import { expect } from "vitest";

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

/**
 * Awaits an acquire that must be told its lock was abandoned; returns the guard it then holds. Call it when
 * the acquire starts, so the rejection is handled even if the death is seen before the test awaits it.
 */
export async function toldAbandoned(acquire: Promise<unknown>): Promise<Guard> {
  const e = await acquire.then(
    () => new Error("acquired without being told the holder died"),
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AbandonedLockError);
  return (e as AbandonedLockError).guard as Guard;
}
