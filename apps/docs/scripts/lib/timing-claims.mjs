// Recipe output prints timings measured on whatever machine builds the docs, often a busy one. A line that
// calls a ratio of timings a speed-up, says it is faster or slower, or gives it a bound ("up to 2x") is true
// on some runs and contradicted by its own number on others (the docs once printed "2.19x (up to 2x with 2
// idle cores)" and a "0.66x" speed-up). Ratios must be printed with what they mean instead, e.g.
// "time on the pool / time blocking: 0.52 (below 1: the pool took less wall time)".

const ratio = /\b\d+(?:\.\d+)?x\b/;
const claim = /\b(speed-?ups?|faster|slower|up to)\b/i;

/** Lines of `output` that state a claim about a timing ratio (each can contradict itself on a slow machine). */
export function timingClaims(output) {
  return output.split(/\r?\n/).filter((line) => ratio.test(line) && claim.test(line));
}
