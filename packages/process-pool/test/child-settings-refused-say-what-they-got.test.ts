import { PoolOptionError, ProcessPoolExecutor } from "@weft/process-pool";
import { describe, expect, it } from "vitest";

function message(options: object): string {
  try {
    new ProcessPoolExecutor(options as never);
  } catch (err) {
    expect(err).toBeInstanceOf(PoolOptionError);
    return (err as Error).message;
  }
  throw new Error("expected a throw");
}

// An array is an object, but not an environment: `env: []` must not start children with an empty
// environment. Each refused child setting says what it got.
describe("ProcessPoolExecutor child settings of the wrong type are refused, saying what they got", () => {
  it("env", () => {
    expect(message({ env: [] })).toBe("env must be an object of environment variables, got an array");
    expect(message({ env: null })).toBe("env must be an object of environment variables, got null");
    expect(message({ env: "PATH=/bin" })).toBe("env must be an object of environment variables, got string");
  });

  it("execArgv and preload", () => {
    expect(message({ execArgv: null })).toBe("execArgv must be an array of strings, got null");
    expect(message({ execArgv: "--inspect" })).toBe("execArgv must be an array of strings, got string");
    expect(message({ execArgv: ["--inspect", 1] })).toBe(
      "execArgv must be an array of strings, got number at execArgv[1]",
    );
    expect(message({ preload: "@weft/native" })).toBe(
      "preload must be an array of module names, file URLs or absolute paths, got string",
    );
  });
});
