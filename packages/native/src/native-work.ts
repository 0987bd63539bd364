import { binding } from "./binding.js";
import { NativeFuture } from "./native-future.js";

/** Input accepted by the native kernels. */
export type BinaryInput = ArrayBuffer | SharedArrayBuffer | ArrayBufferView;

/** Names of the C++ kernels compiled into the addon. */
export type NativeKernel = "sha256" | "fnv1a64";

function bytesOf(data: BinaryInput, fn: string): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer || data instanceof SharedArrayBuffer) return new Uint8Array(data);
  const what = data === null ? "null" : typeof data;
  throw new TypeError(
    `${fn}: data is ${what}; pass an ArrayBuffer, SharedArrayBuffer, TypedArray or DataView`,
  );
}

const asBytes = (digest: ArrayBuffer): Uint8Array => new Uint8Array(digest);
const asUint64 = (digest: ArrayBuffer): bigint => new DataView(digest).getBigUint64(0, true);

/**
 * Runs a compiled C++ kernel over `data` on one of libuv's pool threads and returns a
 * {@link NativeFuture}; the event loop stays free meanwhile (the Node version of releasing the GIL:
 * the kernel touches no JavaScript value). Several calls run in parallel, up to `UV_THREADPOOL_SIZE`
 * (default 4). Do not transfer, detach or resize `data` before the future settles; writing to it meanwhile
 * gives an unspecified digest.
 *
 * Adding a kernel: write `std::vector<uint8_t> Fn(const uint8_t*, size_t)` in src/native/kernels.cc,
 * list it in `kKernels` (src/native/jobs.cc) and in {@link NativeKernel}; the job plumbing is shared.
 *
 * @example
 * ```ts
 * import { runNative } from "@weft/native";
 * const digest = await runNative("sha256", new TextEncoder().encode("abc"));
 * console.log(Buffer.from(digest).toString("hex")); // ba7816bf...
 * ```
 */
export function runNative(kernel: NativeKernel, data: BinaryInput): NativeFuture<Uint8Array> {
  return new NativeFuture(binding().runJob(kernel, bytesOf(data, "runNative")), asBytes);
}

/**
 * SHA-256 of `data` on libuv's pool (32-byte digest). Same caveats as {@link runNative}.
 *
 * @example
 * ```ts
 * import { sha256 } from "@weft/native";
 * const [a, b] = await Promise.all([sha256(bigA), sha256(bigB)]); // two cores at once
 * ```
 */
export function sha256(data: BinaryInput): NativeFuture<Uint8Array> {
  return new NativeFuture(binding().runJob("sha256", bytesOf(data, "sha256")), asBytes);
}

/**
 * 64-bit FNV-1a hash of `data` on libuv's pool, as an unsigned bigint.
 *
 * @example
 * ```ts
 * import { fnv1a64 } from "@weft/native";
 * console.log(await fnv1a64(new Uint8Array(0))); // 14695981039346656037n
 * ```
 */
export function fnv1a64(data: BinaryInput): NativeFuture<bigint> {
  return new NativeFuture(binding().runJob("fnv1a64", bytesOf(data, "fnv1a64")), asUint64);
}

/**
 * The same kernel on the calling thread, blocking it (for comparison, or inside a worker thread).
 *
 * @example
 * ```ts
 * import { runNativeSync } from "@weft/native";
 * const digest = runNativeSync("sha256", new Uint8Array(16)); // blocks this thread
 * ```
 */
export function runNativeSync(kernel: NativeKernel, data: BinaryInput): Uint8Array {
  return new Uint8Array(binding().runSync(kernel, bytesOf(data, "runNativeSync")));
}

/**
 * How many native jobs are running on pool threads now, and the most seen at once since the last reset
 * (`reset: true` restarts the maximum from the current count). Shows parallelism without timing.
 *
 * @example
 * ```ts
 * import { nativeJobStats, sha256 } from "@weft/native";
 * nativeJobStats(true);
 * await Promise.all([sha256(a), sha256(b)]);
 * console.log(nativeJobStats().maxInFlight); // 2 on a machine with 2 free cores
 * ```
 */
export function nativeJobStats(reset = false): { inFlight: number; maxInFlight: number } {
  return binding().jobStats(reset);
}
