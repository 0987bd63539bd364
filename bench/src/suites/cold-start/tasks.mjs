// The first task of every cold-start contender: return the argument plus one.
export function inc(x) {
  return x + 1;
}
