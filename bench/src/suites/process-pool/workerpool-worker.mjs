import workerpool from "workerpool";
import { noop } from "../pool/tasks.mjs";

workerpool.worker({ noop });
