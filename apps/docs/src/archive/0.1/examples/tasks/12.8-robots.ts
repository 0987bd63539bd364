// Task module of recipe 12.8: find the hosts that fetched /robots.txt in one gzipped Apache log file.
// Each call runs in a child process of the ProcessPoolExecutor (or in the main process for the baseline).
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** Python's find_robots(filename): the set of client addresses that requested /robots.txt. */
export function findRobots(filename: string): Set<string> {
  const robots = new Set<string>();
  const text = gunzipSync(readFileSync(filename)).toString("ascii");
  for (const line of text.split("\n")) {
    // 203.0.113.9 - - [24/Feb/2008:00:08:59 -0600] "GET /robots.txt HTTP/1.1" 200 ...
    const fields = line.split(" ");
    if (fields[6] === "/robots.txt") robots.add(fields[0]!);
  }
  return robots;
}
