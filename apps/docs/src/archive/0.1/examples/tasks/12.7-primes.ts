// Task module of recipe 12.7: CPU-bound work that a thread pool really runs in parallel in Node.

/** Counts the primes in [from, to) by trial division: deliberately CPU-bound. */
export function countPrimes(from: number, to: number): number {
  let count = 0;
  for (let n = Math.max(2, from); n < to; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return count;
}
