import type { TestProject } from "vitest/node";
// @ts-expect-error: a plain .mjs script without types (shared with the demo and the benchmarks)
import { startRedis } from "../scripts/local-redis.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await startRedis();
  project.provide("redisUrl", redis.url);
  return () => redis.stop();
}
