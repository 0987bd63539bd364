// One measurement for sync-ab.mjs: node sync-ab-child.mjs <dist index.js> <case> -> ns/op (best of 11 batches).
const { Lock, RLock, Semaphore } = await import(process.argv[2]);
const name = process.argv[3];
const lock = new Lock();
const rlock = new RLock();
const sem = new Semaphore(1);
const syncCases = {
  "Lock acquireSync+release": (n) => {
    for (let i = 0; i < n; i++) {
      lock.acquireSync();
      lock.release();
    }
  },
  "Lock acquireSync+guard.release": (n) => {
    for (let i = 0; i < n; i++) {
      lock.acquireSync().release();
    }
  },
  "Lock tryAcquire+guard.release": (n) => {
    for (let i = 0; i < n; i++) {
      const g = lock.tryAcquire();
      if (g) g.release();
    }
  },
  "Semaphore acquireSync+release": (n) => {
    for (let i = 0; i < n; i++) {
      sem.acquireSync();
      sem.release();
    }
  },
  "Semaphore tryAcquire+guard.release": (n) => {
    for (let i = 0; i < n; i++) {
      const g = sem.tryAcquire();
      if (g) g.release();
    }
  },
  "RLock acquireSync+release": (n) => {
    for (let i = 0; i < n; i++) {
      rlock.acquireSync();
      rlock.release();
    }
  },
  "RLock tryAcquire+guard.release": (n) => {
    for (let i = 0; i < n; i++) {
      const g = rlock.tryAcquire();
      if (g) g.release();
    }
  },
};
const asyncCases = {
  "Lock await acquire+release": async (n) => {
    for (let i = 0; i < n; i++) {
      await lock.acquire();
      lock.release();
    }
  },
  "Semaphore await acquire+release": async (n) => {
    for (let i = 0; i < n; i++) {
      await sem.acquire();
      sem.release();
    }
  },
  "RLock await acquire+release": async (n) => {
    for (let i = 0; i < n; i++) {
      await rlock.acquire();
      rlock.release();
    }
  },
};
const f = syncCases[name] ?? asyncCases[name];
if (!f) throw new Error(`no case ${name}`);
const n = syncCases[name] ? 2_000_000 : 200_000;
const out = [];
await f(n / 4);
for (let b = 0; b < 11; b++) {
  const t0 = performance.now();
  await f(n);
  out.push(((performance.now() - t0) * 1e6) / n);
}
out.sort((a, b) => a - b);
console.log(out[0].toFixed(3));
