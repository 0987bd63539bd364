// The "shape" of a recipe's output: what must stay the same between two runs of a recipe whose threads
// interleave differently and whose timings vary. Every word holding a digit (counts, timings, thread ids,
// hashes, "1.10x") and every true/false becomes "#", ANSI colour codes and blank lines are dropped, and the distinct lines are kept as a sorted set (thread interleaving changes the order and how
// often a progress line repeats, not which kinds of line appear).

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escape sequences is the point
const ansi = /\x1b\[[0-9;]*m/g;

/** @param {string} output @returns {string[]} */
export function outputShape(output) {
  const lines = new Set();
  for (const raw of output.replace(ansi, "").split(/\r?\n/)) {
    const line = raw
      .replace(/[\w.,:-]*\d[\w.,:-]*/g, "#")
      .replace(/\b(?:true|false)\b/g, "#")
      .replace(/\s+/g, " ")
      .trim();
    if (line !== "") lines.add(line);
  }
  return [...lines].sort();
}
