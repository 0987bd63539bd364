"""Peer for native.bench.ts: Python multiprocessing.Lock guarding a shared counter.

usage: python3 mp_lock.py <processes> <increments per process>
Prints the wall time per increment in ns: (last child end - first child start) / total increments, with the
children's own CLOCK_MONOTONIC stamps (process start-up is not counted), like the weft contender.
"""

import multiprocessing as mp
import sys
import time


def work(lock, counter, barrier, n, stamps):
    barrier.wait()
    t0 = time.perf_counter_ns()
    for _ in range(n):
        with lock:
            counter.value += 1
    stamps.put((t0, time.perf_counter_ns()))


def main():
    procs, n = int(sys.argv[1]), int(sys.argv[2])
    lock = mp.Lock()
    counter = mp.RawValue("i", 0)
    barrier = mp.Barrier(procs)
    stamps = mp.Queue()
    children = [mp.Process(target=work, args=(lock, counter, barrier, n, stamps)) for _ in range(procs)]
    for c in children:
        c.start()
    got = [stamps.get() for _ in children]
    for c in children:
        c.join()
    if counter.value != procs * n:
        sys.exit(f"lost updates: {counter.value} != {procs * n}")
    start = min(t0 for t0, _ in got)
    end = max(t1 for _, t1 in got)
    print((end - start) / (procs * n))


if __name__ == "__main__":
    main()
