// Property test: many async flows interleave on one event loop, each changing ContextLocals with run/set/reset
// at random points between random kinds of awaits. Every flow must, at every step, see exactly the values its
// own model predicts: never a value written by another flow, never a value leaked out of a finished run().
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ContextLocal, type ContextToken, isolate } from "../src/index.js";

type Step =
  | { kind: "await"; how: "microtask" | "immediate" | "timeout" | "nextTick" }
  | { kind: "set"; v: number }
  | { kind: "reset" }
  | { kind: "run"; v: number; body: Step[] };

const VARS = 3;
const vars = Array.from(
  { length: VARS },
  (_, i) => new ContextLocal<string>({ name: `stress.${i}`, propagate: i === 0, default: `default-${i}` }),
);

const stepArb: fc.Arbitrary<Step> = fc.letrec<{ step: Step; steps: Step[] }>((tie) => ({
  step: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({
      kind: fc.constant("await" as const),
      how: fc.constantFrom(
        "microtask" as const,
        "immediate" as const,
        "timeout" as const,
        "nextTick" as const,
      ),
    }),
    fc.record({ kind: fc.constant("set" as const), v: fc.nat(VARS - 1) }),
    fc.record({ kind: fc.constant("reset" as const) }),
    fc.record({ kind: fc.constant("run" as const), v: fc.nat(VARS - 1), body: tie("steps") }),
  ),
  steps: fc.array(tie("step"), { maxLength: 6 }),
})).step;

const flowArb = fc.record({
  start: fc.constantFrom("isolate" as const, "run" as const, "await-first" as const),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 10 }),
});

function pause(how: Extract<Step, { kind: "await" }>["how"]): Promise<void> {
  switch (how) {
    case "microtask":
      return Promise.resolve();
    case "immediate":
      return new Promise((r) => setImmediate(r));
    case "timeout":
      return new Promise((r) => setTimeout(r, 0));
    case "nextTick":
      return new Promise((r) => process.nextTick(r));
  }
}

function check(flow: number, model: string[], where: string): void {
  for (let i = 0; i < VARS; i++) {
    const seen = vars[i]?.get();
    if (seen !== model[i]) {
      throw new Error(`flow ${flow} ${where}: var ${i} is ${seen}, expected ${model[i]}`);
    }
  }
}

async function runSteps(flow: number, steps: Step[], model: string[], path: string): Promise<void> {
  // tokens of set() calls made at this nesting level, with the model value each one restores
  const tokens: { v: number; token: ContextToken<string>; previous: string }[] = [];
  for (const [n, step] of steps.entries()) {
    const where = `${path}.${n}:${step.kind}`;
    check(flow, model, `before ${where}`);
    if (step.kind === "await") {
      await pause(step.how);
    } else if (step.kind === "set") {
      const value = `flow${flow}@${where}`;
      tokens.push({ v: step.v, token: vars[step.v]!.set(value), previous: model[step.v]! });
      model[step.v] = value;
    } else if (step.kind === "reset") {
      const last = tokens.pop();
      if (last) {
        vars[last.v]!.reset(last.token);
        model[last.v] = last.previous;
      }
    } else {
      const inner = [...model];
      inner[step.v] = `flow${flow}@${where}`;
      await vars[step.v]!.run(inner[step.v]!, () => runSteps(flow, step.body, inner, where));
    }
    check(flow, model, `after ${where}`);
  }
}

async function startFlow(flow: number, start: "isolate" | "run" | "await-first", steps: Step[]) {
  const model = vars.map((_, i) => `default-${i}`);
  if (start === "isolate") return isolate(() => runSteps(flow, steps, model, "f"));
  if (start === "run") {
    model[1] = `flow${flow}@start`;
    return vars[1]!.run(model[1], () => runSteps(flow, steps, model, "f"));
  }
  // a plain async function whose first action is an await: its sets after that stay within the flow
  await null;
  return runSteps(flow, steps, model, "f");
}

describe("ContextLocal isolation between interleaved async flows", () => {
  it("never shows a flow another flow's values, nor values leaked out of a finished run", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(flowArb, { minLength: 2, maxLength: 25 }), async (flows) => {
        await Promise.all(flows.map((f, i) => startFlow(i, f.start, f.steps)));
        check(-1, ["default-0", "default-1", "default-2"], "after all flows");
      }),
      { numRuns: 60 },
    );
  });

  it("keeps 500 concurrent request flows apart, each reading its own value after many awaits", async () => {
    const id = vars[0]!;
    const seen = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        id.run(`req-${i}`, async () => {
          const values: string[] = [];
          for (let k = 0; k < 5; k++) {
            await pause(k % 2 === 0 ? "immediate" : "microtask");
            values.push(id.get());
          }
          return values;
        }),
      ),
    );
    expect(seen).toEqual(seen.map((_, i) => Array(5).fill(`req-${i}`)));
  });
});
