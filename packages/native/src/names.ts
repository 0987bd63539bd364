import { SharedMemoryNameError, SharedMemorySizeError } from "./errors.js";

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** Largest segment accepted (4 GiB); SharedArrayBuffers and typed arrays index comfortably below it. */
export const maxByteLength = 2 ** 32;

export function checkName(name: unknown): string {
  if (typeof name !== "string" || !namePattern.test(name)) {
    throw new SharedMemoryNameError(
      `shared memory name ${JSON.stringify(name)} is invalid: use 1-200 characters from A-Z a-z 0-9 . _ - ` +
        'starting with a letter or digit (no "/" or other path characters)',
    );
  }
  return name;
}

export function checkByteLength(byteLength: unknown, min: number): number {
  if (
    typeof byteLength !== "number" ||
    !Number.isInteger(byteLength) ||
    byteLength < min ||
    byteLength > maxByteLength
  ) {
    throw new SharedMemorySizeError(
      `byteLength ${String(byteLength)} is invalid: pass an integer from ${min} to ${maxByteLength} (4 GiB)`,
    );
  }
  return byteLength;
}
