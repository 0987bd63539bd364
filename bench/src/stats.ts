import type { Summary } from "./result-schema.mjs";

export type { Summary };

/** Median, minimum and maximum of a non-empty list of samples. */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError("summarize() needs at least one sample");
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, samples: [...samples] };
}

/** Formats a number with 3 significant digits and thousands separators. */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 1000) return Math.round(n).toLocaleString("en-US");
  if (abs >= 1) return n.toPrecision(3);
  return n.toPrecision(2);
}
