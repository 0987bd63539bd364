import { moduleTask, type TaskFunction, type TypedModuleTarget } from "@weft/pool";

export { deepArray, thrownBy } from "./conformance/test-support.js";

const url = new URL("./fixtures/tasks.mjs", import.meta.url);

/** A module target for an export of test/fixtures/tasks.mjs. */
export function fixture<F extends TaskFunction = TaskFunction>(name: string): TypedModuleTarget<F> {
  return moduleTask<F>(url, name);
}
