import workerpool from "workerpool";
import { inc } from "./tasks.mjs";

workerpool.worker({ inc });
