// The task the weft-worker processes of the distributed suites serve.
export function noop(x) {
  return x;
}
