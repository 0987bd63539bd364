import { move } from "piscina";
import { echo, noop, spin } from "./tasks.mjs";

export default function (task) {
  if (task.kind === "noop") return noop(task.x);
  if (task.kind === "echo") return move(echo(task.buf));
  return spin(task.ms);
}
