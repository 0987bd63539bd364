// Shared by the sync, native and pool suites (their tsconfigs include this folder): the one check that an
// acquire whose holder died was told so. It imports no copy of @weft/sync, so each suite may use its own
// (source or dist); the error is recognised by its stable name and code.
import { expect } from "vitest";

/** The guard an AbandonedLockError carries: the acquisition that was made anyway. */
export interface AbandonedGuard {
  release(): void;
}

/**
 * Awaits `acquire`, which must reject with AbandonedLockError (code ERR_WEFT_ABANDONED) carrying the guard
 * of the acquisition it made anyway; returns that guard. Fails the test when it resolves instead.
 */
export async function toldAbandoned(acquire: Promise<unknown>): Promise<AbandonedGuard> {
  const e = (await acquire.then(
    () => new Error("acquired without being told the holder died"),
    (err: unknown) => err,
  )) as { name?: unknown; code?: unknown; guard?: AbandonedGuard };
  expect(e.name, `rejected with: ${String((e as { message?: unknown }).message ?? e)}`).toBe(
    "AbandonedLockError",
  );
  expect(e.code).toBe("ERR_WEFT_ABANDONED");
  expect(typeof e.guard?.release).toBe("function");
  return e.guard as AbandonedGuard;
}
