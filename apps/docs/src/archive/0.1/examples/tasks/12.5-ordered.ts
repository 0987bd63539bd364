// Task module for recipe 12.5: the two threads of the Python program, which ask for the same two locks in
// opposite orders. acquireAllSync takes them in the order of their ids (kept in shared memory, so both threads
// agree), which is why neither can hold one lock while waiting for the other.
import { acquireAllSync, type Lock } from "@weft/sync";

export function thread1(xLock: Lock, yLock: Lock, rounds: number, shown: number): number {
  for (let i = 0; i < rounds; i++) {
    using _ = acquireAllSync(xLock, yLock);
    if (i < shown) console.log("Threading-1");
  }
  return rounds;
}

export function thread2(xLock: Lock, yLock: Lock, rounds: number, shown: number): number {
  for (let i = 0; i < rounds; i++) {
    using _ = acquireAllSync(yLock, xLock);
    if (i < shown) console.log("Threading-2");
  }
  return rounds;
}
