import { moduleTask, type TaskFunction, type TypedModuleTarget } from "@weft/process-pool";
import { vi } from "vitest";

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

/**
 * Captures what this process writes to stderr in chunks containing one of `markers` (the children's
 * forwarded output), letting everything else through; `text()` is what was captured. Undo with
 * vi.restoreAllMocks().
 */
export function captureStderr(...markers: string[]): { text(): string } {
  let text = "";
  const original = process.stderr.write.bind(process.stderr);
  vi.spyOn(process.stderr, "write").mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const s = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
    if (markers.some((m) => s.includes(m))) {
      text += s;
      return true;
    }
    return original(chunk as never, ...(rest as []));
  }) as typeof process.stderr.write);
  return { text: () => text };
}
