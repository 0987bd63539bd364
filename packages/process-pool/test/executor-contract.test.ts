import { ProcessPoolExecutor } from "@weft/process-pool";
// The shared suite lives with @weft/pool's tests (tsconfig.json includes that folder).
import {
  describeExecutorContract,
  describeRunningTaskCancellation,
} from "../../pool/test/conformance/executor-contract.js";

describeExecutorContract("ProcessPoolExecutor", (options) => new ProcessPoolExecutor(options));
describeRunningTaskCancellation("ProcessPoolExecutor", (options) => new ProcessPoolExecutor(options));
