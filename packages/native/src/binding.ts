import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import { NativeLoadError } from "./errors.js";

/** What the compiled addon exports (src/native/*.cc). */
interface Binding {
  /** Returns the mapping and the segment's key ("<dev>:<ino>"). */
  shmCreate(name: string, byteLength: number): [SharedArrayBuffer, string];
  /** Maps what `name` denotes now; null when that is the segment `knownKey` identifies. */
  shmAttach(name: string, knownKey?: string): [SharedArrayBuffer, string] | null;
  shmUnlink(name: string): boolean;
  /** Unlinks `name` only while it denotes the segment `key` identifies. */
  shmUnlinkIfSame(name: string, key: string): boolean;
  /** Unnamed (memfd) memory: the mapping and a close-on-exec descriptor for a child. */
  shmCreateUnnamed(byteLength: number): [SharedArrayBuffer, number];
  /** Maps the memory behind an inherited descriptor. */
  shmMapFd(fd: number): SharedArrayBuffer;
  /** Names this process created and has not unlinked yet. */
  shmOwned(): string[];
  futexWait(i32: Int32Array, index: number, expected: number, timeoutMs: number): number;
  futexWaitAsync(i32: Int32Array, index: number, expected: number, timeoutMs: number): Promise<number>;
  futexWake(i32: Int32Array, index: number, count: number): number;
  futexSupported: boolean;
  kernels: string[];
  runJob(kernel: string, data: Uint8Array): Promise<[ArrayBuffer, bigint, bigint, bigint, number]>;
  runSync(kernel: string, data: Uint8Array): ArrayBuffer;
  jobStats(reset?: boolean): { inFlight: number; maxInFlight: number };
  monotonicNs(): bigint;
  /** PR_SET_PDEATHSIG (SIGKILL); false where unsupported. Absent from addons built before it existed. */
  exitWithParent?(parentPid: number): boolean;
}

// src/binding.ts and dist/index.{js,cjs} both sit one level below the package directory.
const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
let cached: Loaded | undefined;
let preferredFile: unknown;

/** The addon and the file it was loaded from. */
interface Loaded {
  readonly binding: Binding;
  readonly file: string;
}

/** Loads the addon once (prebuild or local build); throws NativeLoadError saying what to do. */
export function binding(): Binding {
  return loaded().binding;
}

/** The .node file the addon was loaded from (loading it first if needed). */
export function bindingFile(): string {
  return loaded().file;
}

/**
 * Makes the first load try this exact file (one {@link bindingFile} returned in another process) before
 * searching the package for it; anything that fails to load there falls back to the search.
 */
export function preferBindingFile(file: unknown): void {
  preferredFile = file;
}

function loaded(): Loaded {
  cached ??= loadPreferred() ?? search(packageDir);
  return cached;
}

function loadPreferred(): Loaded | undefined {
  const file = preferredFile;
  preferredFile = undefined;
  if (typeof file !== "string" || !isAbsolute(file) || !file.endsWith(".node")) return undefined;
  try {
    return { binding: require(file) as Binding, file };
  } catch {
    return undefined; // moved or replaced since: search as usual
  }
}

/** Exported for tests: load from another directory to see the error a user would get. */
export function load(dir: string): Binding {
  return search(dir).binding;
}

/** Finds the addon's file in package directory `dir` (node-gyp-build's choice of prebuild or build) and loads it. */
function search(dir: string): Loaded {
  const platform = `${process.platform}-${process.arch}`;
  if (process.platform !== "linux") {
    throw new NativeLoadError(
      `@weft/native does not support ${platform}: it needs Linux (futex and POSIX shared memory). ` +
        "Use @weft/sync alone for threads within one process.",
      platform,
    );
  }
  const shipped = shippedPrebuild(dir, platform);
  if (shipped !== undefined) {
    try {
      return { binding: require(shipped) as Binding, file: shipped };
    } catch {
      // (node-gyp-build below says why, or finds another build.)
    }
  }
  try {
    const gypBuild = require("node-gyp-build") as { path(dir: string): string };
    const file = gypBuild.path(dir);
    return { binding: require(file) as Binding, file };
  } catch (cause) {
    const prebuilt = existsSync(join(dir, "prebuilds", platform));
    const detail = cause instanceof Error ? cause.message.split("\n")[0] : String(cause);
    const how =
      `Build it for this machine with \`node ${JSON.stringify(join(dir, "scripts", "build-addon.cjs"))}\` ` +
      "(needs a C++17 compiler, make and python3; Debian/Ubuntu: `apt-get install -y g++ make python3`).";
    throw new NativeLoadError(
      prebuilt
        ? `@weft/native: the prebuilt addon for ${platform} failed to load on Node ${process.version} ` +
            `(${detail}); prebuilds need glibc 2.17 or newer. ${how}`
        : `@weft/native has no prebuilt addon for ${platform}${libcSuffix()} (prebuilds: linux-x64 and ` +
            `linux-arm64 with glibc 2.17 or newer) and none was built here (${detail}). ${how}`,
      platform,
      { cause },
    );
  }
}

/**
 * The prebuild this package ships for `platform` when node-gyp-build would choose it too: no local build in
 * `build/` (which node-gyp-build prefers) and a glibc system. Loading it directly saves every process that uses
 * the addon node-gyp-build's load and directory scan (~4 ms); anything else goes through node-gyp-build.
 */
function shippedPrebuild(dir: string, platform: string): string | undefined {
  if (process.env.LIBC !== undefined || libcSuffix() !== "" || existsSync(join(dir, "build")))
    return undefined;
  const file = join(dir, "prebuilds", platform, "weft-native.napi.glibc.node");
  return existsSync(file) ? file : undefined;
}

/** " (musl)" where node-gyp-build looks for musl builds (Alpine), which have no prebuild. */
function libcSuffix(): string {
  return existsSync("/etc/alpine-release") || process.env.LIBC === "musl" ? " (musl)" : "";
}
