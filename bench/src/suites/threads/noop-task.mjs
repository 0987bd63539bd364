// Module target for the threads benchmark: returns its argument.
export function echo(value) {
  return value;
}
