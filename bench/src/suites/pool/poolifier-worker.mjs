import { ThreadWorker } from "poolifier";
import { noop, spin } from "./tasks.mjs";

export default new ThreadWorker((task) => (task.kind === "noop" ? noop(task.x) : spin(task.ms)));
