import { ThreadWorker } from "poolifier";
import { inc } from "./tasks.mjs";

export default new ThreadWorker((x) => inc(x));
