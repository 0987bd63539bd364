import { ThreadPoolExecutor } from "@weft/pool";
import {
  describeExecutorContract,
  describeRunningTaskCancellation,
} from "./conformance/executor-contract.js";

describeExecutorContract("ThreadPoolExecutor", (options) => new ThreadPoolExecutor(options));
describeRunningTaskCancellation("ThreadPoolExecutor", (options) => new ThreadPoolExecutor(options));
