import { ProcessPoolExecutor } from "@weft/process-pool";
import { describe, expect, it } from "vitest";

// Without shared slots the parent cannot withdraw a task it has sent to a child, nor tell whether it has
// started or finished: the child runs it after the task before it. terminateWorkers() / killWorkers() must
// then give the child the same grace to deliver it as a child whose slots say a result is on its way (before,
// the child was stopped as soon as the task asked to stop had ended, and a task behind it that finished
// failed with WorkerTerminatedError).
const ignoresStopRequest = async (ms: number): Promise<string> => {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return "slow";
};
const spinThenReturn = (ms: number, value: number): number => {
  const end = Date.now() + ms;
  while (Date.now() < end) {}
  return value;
};

describe("terminateWorkers() without shared slots", () => {
  it("keeps the result of a task sent behind the running one, which it could not withdraw", async () => {
    const pool = new ProcessPoolExecutor({ maxWorkers: 1, sharedSlots: false, killAfter: 2000 });
    await pool.submit(spinThenReturn, 0, 0);
    const slow = pool.submit(ignoresStopRequest, 300);
    const behind = pool.submit(spinThenReturn, 30, 42);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await pool.terminateWorkers();
    expect(await slow).toBe("slow"); // it ended within killAfter: its result wins
    expect(await behind).toBe(42); // WorkerTerminatedError: it finished, but its child was stopped meanwhile
  }, 20_000);
});
