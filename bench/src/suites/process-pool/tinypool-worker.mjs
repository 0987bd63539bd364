import { noop } from "../pool/tasks.mjs";

export default function run(x) {
  return noop(x);
}
