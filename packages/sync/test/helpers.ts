import { Worker } from "node:worker_threads";

/** Runs a worker fixture to completion; rejects if it throws or exits non-zero. */
export function runWorker(fixture: string, workerData: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL(`./fixtures/${fixture}`, import.meta.url), { workerData });
    w.once("error", reject);
    w.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`))));
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
