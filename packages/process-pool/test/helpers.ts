import { moduleTask, type TaskFunction, type TypedModuleTarget } from "@weft/process-pool";

export { deepArray, thrownBy } from "../../pool/test/conformance/test-support.js";

const url = new URL("./fixtures/tasks.mjs", import.meta.url);

/** @weft/native if its addon loads and maps memory on this platform, else undefined (tests skip). */
export async function loadNative(): Promise<typeof import("@weft/native") | undefined> {
  try {
    const native = await import("@weft/native");
    using probe = native.SharedMemory.create(64);
    void probe;
    return native;
  } catch {
    return undefined;
  }
}

/** A module target for an export of test/fixtures/tasks.mjs. */
export function fixture<F extends TaskFunction = TaskFunction>(name: string): TypedModuleTarget<F> {
  return moduleTask<F>(url, name);
}

/** True while a process with this pid exists (a zombie counts as existing). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Polls until `check()` is true; throws after `timeout` ms. */
export async function until(check: () => boolean, timeout = 20_000, what = "condition"): Promise<void> {
  const end = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** True when @weft/native loads here (its process-shared memory backs the pools' shared slots). */
export const nativeAvailable: boolean = await import("@weft/native").then(
  (native) => {
    try {
      native.SharedMemory.create(64).close(); // the addon may be missing on this platform
      return true;
    } catch {
      return false;
    }
  },
  () => false,
);
