// One small program per package that uses what the package is for, written once and emitted as an ESM
// (.mjs), a CommonJS (.cjs) and a TypeScript (.mts, type-checked by tsc with module "nodenext") script.
// Each prints `smoke ok <package> <format>` as its last line.

/** The body runs with `m` bound to the package's module namespace; it is valid TypeScript. */
const BODIES: Record<string, string> = {
  "@weft/sync": `
  const lock = new m.Lock();
  await lock.acquire();
  lock.release();
  const event = new m.Event();
  event.set();
  if (!event.isSet()) throw new Error("Event.set() did not set it");`,
  "@weft/local-storage": `
  const id = new m.ContextLocal<string>({ name: "id", default: "-" });
  id.run("request-1", () => {
    if (id.get() !== "request-1") throw new Error("ContextLocal.run did not set the value");
  });`,
  "@weft/threads": `
  const t = new m.Thread({ target: (a: number, b: number) => a + b, args: [2, 3] });
  t.start();
  await t.join();
  if (t.result !== 5) throw new Error(\`Thread result \${String(t.result)}\`);`,
  "@weft/pool": `
  const pool = new m.ThreadPoolExecutor({ maxWorkers: 1 });
  const product: number = await pool.submit((a: number, b: number) => a * b, 6, 7);
  await pool.shutdown();
  if (product !== 42) throw new Error(\`pool result \${product}\`);`,
  "@weft/process-pool": `
  const pool = new m.ProcessPoolExecutor({ maxWorkers: 1 });
  const pid: number = await pool.submit(() => process.pid);
  await pool.shutdown();
  if (pid === process.pid) throw new Error("the task ran in this process");`,
  "@weft/native": `
  const digest = await m.sha256(new TextEncoder().encode("abc"));
  if (digest.length !== 32) throw new Error("sha256 length");
  const shm = m.SharedMemory.create(4096);
  if (shm.byteLength !== 4096) throw new Error("SharedMemory size");
  shm.close();`,
  "@weft/distributed": `
  const ex = new m.DistributedExecutor({ connection: "redis://127.0.0.1:1", queue: "smoke", connectTimeout: 500 });
  let refused = false;
  try {
    await ex.submit((a: number, b: number) => a + b, 1, 2);
  } catch (e) {
    refused = e instanceof m.RedisConnectionError;
  }
  await ex.shutdown({ wait: false });
  if (!refused) throw new Error("an unreachable Redis was not a RedisConnectionError");`,
};

/** Every published package has a smoke program. */
export const SMOKE_PACKAGES = Object.keys(BODIES);

/** The JavaScript forms: the bodies' only TypeScript syntax is `<string>` and `: number`. */
function toJs(body: string): string {
  return body.replaceAll("new m.ContextLocal<string>", "new m.ContextLocal").replaceAll(": number", "");
}

/** The three smoke files for `name`, by file name. */
export function smokeScripts(name: string): Record<"smoke.mjs" | "smoke.cjs" | "smoke.mts", string> {
  const body = BODIES[name];
  if (body === undefined) throw new Error(`no smoke program for ${name}`);
  const js = toJs(body);
  return {
    "smoke.mjs": `import * as m from "${name}";\n${js}\nconsole.log("smoke ok ${name} esm");\n`,
    "smoke.cjs":
      `"use strict";\nconst m = require("${name}");\n(async () => {${js}\n})().then(\n` +
      `  () => console.log("smoke ok ${name} cjs"),\n` +
      "  (e) => {\n    console.error(e);\n    process.exit(1);\n  },\n);\n",
    "smoke.mts": `import * as m from "${name}";\n${body}\nconsole.log("smoke ok ${name} ts");\n`,
  };
}

/** tsconfig.json of a smoke project: what a strict Node ESM TypeScript app uses. */
export const SMOKE_TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    lib: ["ES2022"],
    module: "nodenext",
    moduleResolution: "nodenext",
    strict: true,
    types: ["node"],
    outDir: "out",
  },
  files: ["smoke.mts"],
};
