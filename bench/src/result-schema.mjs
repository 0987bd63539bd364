// The schema of a benchmark result file (bench/results/<id>.json), defined once: the types (JSDoc, read by
// TypeScript through allowJs) and the check that the docs site runs on every file before charting it. The
// harness (harness.ts) writes these files and checks each one the same way before writing it.

/**
 * Summary statistics of one contender's samples.
 * @typedef {object} Summary
 * @property {number} median
 * @property {number} min
 * @property {number} max
 * @property {number[]} samples
 */

/**
 * The outcome of one suite, as written to bench/results/<id>.json.
 * @typedef {object} SuiteResult
 * @property {string} id File-safe id of the suite (the file's name).
 * @property {string} title What is measured.
 * @property {string} unit Unit of each sample, e.g. "tasks/s", "µs", "MB".
 * @property {boolean} higherIsBetter true for throughput, false for latency and memory.
 * @property {string} ours Name of weft's contender (a key of `results`).
 * @property {string} date When the suite ran (ISO 8601).
 * @property {string} node The Node.js version it ran on.
 * @property {Record<string, Summary>} results Each contender's summary.
 * @property {Record<string, number>} advantage For each peer: how many times better weft is (>1 is better), from medians.
 * @property {Record<string, { target: number, met: boolean }>} targets Each peer's target ratio and whether it was met.
 */

/**
 * Throws a TypeError naming the file and field when `r` is not a SuiteResult; returns it otherwise.
 * @param {unknown} r
 * @param {string} file
 * @returns {SuiteResult}
 */
export function checkSuiteResult(r, file) {
  /** @param {string} what @returns {never} */
  const bad = (what) => {
    throw new TypeError(
      `${file}: not a bench SuiteResult (${what}); it should be written by bench/src/harness.ts`,
    );
  };
  if (typeof r !== "object" || r === null) bad("not an object");
  const o = /** @type {Record<string, any>} */ (r);
  for (const key of ["id", "title", "unit", "ours"])
    if (typeof o[key] !== "string") bad(`"${key}" is not a string`);
  if (typeof o.higherIsBetter !== "boolean") bad('"higherIsBetter" is not a boolean');
  if (typeof o.results !== "object" || o.results === null || Object.keys(o.results).length === 0) {
    bad('"results" is empty');
  }
  for (const [name, s] of Object.entries(o.results)) {
    for (const k of ["median", "min", "max"]) {
      if (typeof s?.[k] !== "number") bad(`results["${name}"].${k} is not a number`);
    }
  }
  if (!(o.ours in o.results)) bad(`"ours" (${o.ours}) has no entry in "results"`);
  return /** @type {SuiteResult} */ (r);
}
