// Contenders that own a pool for a whole round, shared by the pool and process-pool suites.
import type { Contender } from "../../harness.js";

/** A contender that owns a pool created (and warmed up) in setup and destroyed in teardown. */
export function pooled<P>(
  name: string,
  create: () => P | Promise<P>,
  warm: (p: P) => Promise<unknown>,
  measure: (p: P) => Promise<number>,
  destroy: (p: P) => Promise<unknown>,
): Contender {
  let pool: P | undefined;
  return {
    name,
    async setup() {
      pool = await create();
      await warm(pool);
    },
    measure: () => measure(pool!),
    async teardown() {
      await destroy(pool!);
      pool = undefined;
    },
  };
}

/**
 * Some peers' destroy() can hang (poolifier's sometimes never settles yet holds nothing open): bound it with
 * a (ref'd) timer.
 */
export function bounded(p: Promise<unknown>, ms = 5_000): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p, new Promise((r) => (timer = setTimeout(r, ms)))]).finally(() =>
    clearTimeout(timer),
  );
}
