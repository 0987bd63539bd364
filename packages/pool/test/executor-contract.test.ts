import { ThreadPoolExecutor } from "@weft/pool";
import { describeExecutorContract } from "./conformance/executor-contract.js";

describeExecutorContract("ThreadPoolExecutor", (options) => new ThreadPoolExecutor(options));
