import { move } from "piscina";
import { echo, noop, spin, threadId } from "./tasks.mjs";

export default function (task) {
  if (task.kind === "noop") return noop(task.x);
  if (task.kind === "echo") return move(echo(task.buf));
  if (task.kind === "threadId") return threadId(task.ms);
  return spin(task.ms);
}
