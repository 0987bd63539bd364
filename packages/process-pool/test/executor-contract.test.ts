import { ProcessPoolExecutor } from "@weft/process-pool";
// The shared suite lives with @weft/pool's tests (tsconfig.json includes that folder).
import { describeExecutorContract } from "../../pool/test/conformance/executor-contract.js";

describeExecutorContract("ProcessPoolExecutor", (options) => new ProcessPoolExecutor(options));
