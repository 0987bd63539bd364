import { describe, expect, it } from "vitest";
import { checkOptionKeys, nearestName } from "../src/extension.js";

describe("nearestName / checkOptionKeys", () => {
  const known = ["maxWorkers", "minWorkers", "idleTimeout", "taskTimeout", "window"];
  it("finds typos, other casings and Python spellings; nothing for unrelated names", () => {
    expect(nearestName("maxWorker", known)).toBe("maxWorkers");
    expect(nearestName("max_workers", known)).toBe("maxWorkers");
    expect(nearestName("MAXWORKERS", known)).toBe("maxWorkers");
    expect(nearestName("maxWrokers", known)).toBe("maxWorkers"); // a swap is one edit
    expect(nearestName("idle_timeout", known)).toBe("idleTimeout");
    expect(nearestName("windw", known)).toBe("window");
    expect(nearestName("colour", known)).toBeUndefined();
    expect(nearestName("timeout", known)).toBeUndefined();
  });

  it("throws the caller's error naming the key, the suggestion and the valid keys; inherited keys count", () => {
    const keys = new Set(["wait", "cancelFutures"]);
    const make = (m: string) => new RangeError(m);
    expect(() => checkOptionKeys("shutdown options", { wait: true }, keys, make)).not.toThrow();
    expect(() => checkOptionKeys("shutdown options", { wiat: true }, keys, make)).toThrow(
      new RangeError(
        'shutdown options: unknown option "wiat" (did you mean "wait"?); valid options: wait, cancelFutures',
      ),
    );
    const inherited = Object.create({ cancel: true }) as object;
    expect(() => checkOptionKeys("shutdown options", inherited, keys, make)).toThrow(
      /unknown option "cancel"/,
    );
  });
});
